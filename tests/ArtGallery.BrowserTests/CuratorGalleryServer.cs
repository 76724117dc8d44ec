using ArtGallery.Core.Accounts;
using ArtGallery.Testing;

namespace ArtGallery.BrowserTests;

/// <summary>
/// The web app with a curator and a visitor account over the demo collection; the curator's test
/// imports the untagged works the recognition worker then suggests styles for.
/// </summary>
public sealed class CuratorGalleryServer : GalleryServer
{
    public const string CuratorEmail = "curator@example.test";
    public const string VisitorEmail = "visitor@example.test";

    protected override async Task PrepareDatabaseAsync(string database, string imagesDirectory)
    {
        await using var services = TestDatabase.Services(database, imagesDirectory);
        await TestAccounts.CreateAsync(services, CuratorEmail, GalleryRoles.Curator);
        await TestAccounts.CreateAsync(services, VisitorEmail);
    }

    protected override void ConfigureEnvironment(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        // The guessing test is held off after three failures in its browser (the default is five).
        environment["Accounts__MaxFailedSignIns"] = "3";
    }
}
