using ArtGallery.Core;
using ArtGallery.Core.Accounts;

namespace ArtGallery.IntegrationTests;

/// <summary>The first admin and role management on a real database.</summary>
public sealed class AccountsTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task InitialAdmin_NotConfigured_IsReported_ThenCreatedOnceFromConfiguration()
    {
        var database = await TestDatabase.CloneDemoAsync("ag_test");
        try
        {
            await using (var bare = TestDatabase.Services(database, fixture.ImagesDirectory))
            {
                Assert.Equal(InitialAdminOutcome.NotConfigured, await bare.GetRequiredService<InitialAdmin>().EnsureAsync());
            }

            await using var services = TestDatabase.Services(database, fixture.ImagesDirectory, s => s.Configure<AccountsOptions>(o =>
            {
                o.InitialAdmin.Email = "first-admin@example.test";
                o.InitialAdmin.Password = TestAccounts.Password;
            }));
            var initial = services.GetRequiredService<InitialAdmin>();

            Assert.Equal(InitialAdminOutcome.Created, await initial.EnsureAsync());
            Assert.Equal(InitialAdminOutcome.AdminExists, await initial.EnsureAsync());
            var accounts = await services.GetRequiredService<AccountAdminService>().ListAccountsAsync(GalleryAccess.Operator);
            var admin = Assert.Single(accounts);
            Assert.Equal("first-admin@example.test", admin.Name);
            Assert.Equal([GalleryRoles.Admin], admin.Roles);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Roles_GrantedAndRevokedByAnAdmin_ButNeverTheLastAdmin()
    {
        var services = fixture.Services;
        var admin = await TestAccounts.CreateAsync(services, "only-admin@example.test", GalleryRoles.Admin);
        var visitor = await TestAccounts.CreateAsync(services, "promoted@example.test");
        var roles = services.GetRequiredService<AccountAdminService>();
        var visitorId = GalleryAccess.UserId(visitor)!;
        var adminId = GalleryAccess.UserId(admin)!;

        await roles.GrantRoleAsync(admin, visitorId, GalleryRoles.Curator);
        Assert.Equal([GalleryRoles.Curator], (await roles.ListAccountsAsync(admin)).Single(a => a.Id == visitorId).Roles);
        await roles.RevokeRoleAsync(admin, visitorId, GalleryRoles.Curator);
        Assert.Empty((await roles.ListAccountsAsync(admin)).Single(a => a.Id == visitorId).Roles);

        var last = await Assert.ThrowsAsync<CurationException>(() => roles.RevokeRoleAsync(admin, adminId, GalleryRoles.Admin));
        var unknown = await Assert.ThrowsAsync<CurationException>(() => roles.GrantRoleAsync(admin, visitorId, "Owner"));
        Assert.Contains("last admin", last.Message, StringComparison.Ordinal);
        Assert.Contains("no role", unknown.Message, StringComparison.Ordinal);
        Assert.Equal([GalleryRoles.Admin], (await roles.ListAccountsAsync(admin)).Single(a => a.Id == adminId).Roles);
    }
}
