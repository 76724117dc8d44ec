using ArtGallery.Core.Accounts;
using ArtGallery.Testing;

namespace ArtGallery.BrowserTests;

/// <summary>
/// The web app with a curator and a visitor account over the demo collection; the curator's test
/// imports the untagged works the recognition worker then suggests styles for.
/// </summary>
public sealed class CuratorGalleryServer : GalleryServer
{
    /// <summary>
    /// The curator and market classes share one: the curator's imports add works the market test never
    /// reads (it prices works 1 to 600), its tags and held-off account are not the market test's, and
    /// their 11 account posts together stay under the 20 a minute per client.
    /// </summary>
    public const string Collection = "Curator gallery server";

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

[CollectionDefinition(CuratorGalleryServer.Collection)]
public sealed class SharedCuratorServer : ICollectionFixture<CuratorGalleryServer>
{
}
