using ArtGallery.Core.Accounts;
using ArtGallery.Testing;

namespace ArtGallery.BrowserTests;

/// <summary>The web app with an admin and two curators over the demo collection, for the security tests.</summary>
public sealed class SecurityGalleryServer : GalleryServer
{
    public const string AdminEmail = "security-admin@example.test";
    public const string CuratorEmail = "security-curator@example.test";
    public const string LeavingEmail = "security-leaving@example.test";

    protected override async Task PrepareDatabaseAsync(string database, string imagesDirectory)
    {
        await using var services = TestDatabase.Services(database, imagesDirectory);
        await TestAccounts.CreateAsync(services, AdminEmail, GalleryRoles.Admin);
        await TestAccounts.CreateAsync(services, CuratorEmail, GalleryRoles.Curator);
        await TestAccounts.CreateAsync(services, LeavingEmail, GalleryRoles.Curator);
    }
}
