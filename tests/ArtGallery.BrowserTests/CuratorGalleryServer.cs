using ArtGallery.Core.Accounts;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using ArtGallery.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.BrowserTests;

/// <summary>
/// The web app with a curator and a visitor account, and a tenth of the demo collection without its
/// style tag: the recognition worker suggests styles for those works as the app starts.
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
        await using var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        await db.ArtworkTags.Where(t => t.ArtworkId % 10 == 3 && t.Tag!.Vocabulary == TagVocabulary.Style).ExecuteDeleteAsync();
    }

    protected override void ConfigureEnvironment(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);

        // A lockout test must not lock the curator out for the other tests: three strikes, and the default lockout time.
        environment["Accounts__MaxFailedSignIns"] = "3";
    }
}
