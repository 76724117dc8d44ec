using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Curation;
using Microsoft.AspNetCore.Identity;

namespace ArtGallery.IntegrationTests;

/// <summary>
/// A principal is what an open Blazor circuit keeps for as long as the tab is open. These tests hold
/// one from before a role change or a sign-out and use it afterwards, as a stale tab would.
/// </summary>
public sealed class StaleIdentityTests(DemoDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>
{
    private AccountAdminService Roles => fixture.Services.GetRequiredService<AccountAdminService>();

    [Fact]
    public async Task RevokedCurator_UsingThePrincipalFromBefore_IsRefusedTaggingAndUntagging()
    {
        var admin = await TestAccounts.CreateAsync(fixture.Services, "stale-admin-1@example.test", GalleryRoles.Admin);
        var curator = await TestAccounts.CreateAsync(fixture.Services, "stale-curator@example.test", GalleryRoles.Curator);
        var tagging = fixture.Services.GetRequiredService<TaggingService>();
        var tag = await tagging.CreateTagAsync(curator, TagVocabulary.Free, "stale test");
        Assert.Equal(1, await tagging.TagWorksAsync(curator, [7], tag.Id));

        await Roles.RevokeRoleAsync(admin, GalleryAccess.UserId(curator)!, GalleryRoles.Curator);

        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => tagging.TagWorksAsync(curator, [8], tag.Id));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => tagging.UntagWorksAsync(curator, [7], tag.Id));
    }

    [Fact]
    public async Task RevokedAdmin_GrantingThemselvesAdminAgainFromTheOpenPage_IsRefused()
    {
        var keeper = await TestAccounts.CreateAsync(fixture.Services, "stale-admin-2@example.test", GalleryRoles.Admin);
        var revoked = await TestAccounts.CreateAsync(fixture.Services, "stale-admin-3@example.test", GalleryRoles.Admin);
        var revokedId = GalleryAccess.UserId(revoked)!;

        await Roles.RevokeRoleAsync(keeper, revokedId, GalleryRoles.Admin);

        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => Roles.GrantRoleAsync(revoked, revokedId, GalleryRoles.Admin));
        Assert.Empty((await Roles.ListAccountsAsync(keeper)).Single(a => a.Id == revokedId).Roles);
    }

    [Fact]
    public async Task NewlyGrantedCurator_UsingThePrincipalFromBeforeTheGrant_MayCurate()
    {
        var admin = await TestAccounts.CreateAsync(fixture.Services, "stale-admin-4@example.test", GalleryRoles.Admin);
        var promoted = await TestAccounts.CreateAsync(fixture.Services, "stale-promoted@example.test");
        var collections = fixture.Services.GetRequiredService<CollectionCurationService>();
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => collections.CreateCuratedAsync(promoted, "Too early", null));

        await Roles.GrantRoleAsync(admin, GalleryAccess.UserId(promoted)!, GalleryRoles.Curator);

        var created = await collections.CreateCuratedAsync(promoted, "Granted while the tab was open", null);
        Assert.False(created.IsPersonal);
    }

    [Fact]
    public async Task SignedOutAccount_ThePrincipalFromBefore_CountsAsAnonymous()
    {
        var visitor = await TestAccounts.CreateAsync(fixture.Services, "stale-visitor@example.test");
        var collections = fixture.Services.GetRequiredService<CollectionCurationService>();
        await collections.ListEditableAsync(visitor);

        await NewSecurityStampAsync(visitor);

        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => collections.ListEditableAsync(visitor));
        Assert.False((await fixture.Services.GetRequiredService<CallerVerifier>().CurrentAsync(visitor)).Identity!.IsAuthenticated);
    }

    /// <summary>
    /// Every privileged operation, called with a curator's and an admin's principal after their roles
    /// were revoked (still signed in) and after they signed out (new stamp): none may go through
    /// beyond what a visitor, or an anonymous caller, may do.
    /// </summary>
    [Fact]
    public async Task EveryPrivilegedOperation_WithAStalePrincipal_AllowsOnlyWhatTheAccountMayDoNow()
    {
        var services = fixture.Services;
        var keeper = await TestAccounts.CreateAsync(services, "stale-keeper@example.test", GalleryRoles.Admin);
        var target = await TestAccounts.CreateAsync(services, "stale-target@example.test");
        var scene = await AuthorizationMatrixTests.SceneAsync(services, GalleryAccess.UserId(target)!);
        var open = new List<string>();
        var checks = 0;
        foreach (var (kind, role) in new[] { ("curator", GalleryRoles.Curator), ("admin", GalleryRoles.Admin) })
        {
            var revoked = await TestAccounts.CreateAsync(services, $"stale-revoked-{kind}@example.test", role);
            await Roles.RevokeRoleAsync(keeper, GalleryAccess.UserId(revoked)!, role);
            var signedOut = await TestAccounts.CreateAsync(services, $"stale-signedout-{kind}@example.test", role);
            await NewSecurityStampAsync(signedOut);
            foreach (var operation in PrivilegedOperations.All)
            {
                foreach (var (state, caller, mayNow) in new[] { ("revoked", revoked, AccessLevel.Engage), ("signed out", signedOut, AccessLevel.Browse) })
                {
                    checks++;
                    if (await AuthorizationMatrixTests.AllowedAsync(operation, scene, caller) && operation.Level > mayNow)
                    {
                        open.Add($"{operation.Name} for a {state} {kind}");
                    }
                }
            }
        }

        output.WriteLine($"authorization matrix (open circuits): 2 roles x 2 stale states x {PrivilegedOperations.All.Count} operations = {checks} checks, {open.Count} open");
        Assert.Empty(open);
    }

    private async Task NewSecurityStampAsync(ClaimsPrincipal principal)
    {
        // What signing out does (AccountsWebExtensions.SignOutAsync).
        await using var scope = fixture.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GalleryUser>>();
        var user = await users.FindByIdAsync(GalleryAccess.UserId(principal)!);
        await users.UpdateSecurityStampAsync(user!);
        fixture.Services.GetRequiredService<CallerVerifier>().Forget(user!.Id);
    }
}
