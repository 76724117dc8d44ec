using ArtGallery.Core.Accounts;
using ArtGallery.Data;
using ArtGallery.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.BrowserTests;

/// <summary>
/// The web app over the demo collection with a visitor, a curator and an admin account, and a
/// 300-character unbroken title on every tenth work, so that any page of cards shows one.
/// </summary>
public sealed class LayoutGalleryServer : GalleryServer
{
    /// <summary>The layout and accessibility classes share one: both only sign in and visit pages (9 sign-ins together, under the 20 a minute per client).</summary>
    public const string Collection = "Layout gallery server";

    public const string VisitorEmail = "layout-visitor@example.test";
    public const string CuratorEmail = "layout-curator@example.test";
    public const string AdminEmail = "layout-admin@example.test";

    /// <summary>One word of 300 letters: nothing for the browser to break it at.</summary>
    public static readonly string LongTitle = string.Concat(Enumerable.Repeat("Unbrokentitle", 24))[..300];

    /// <summary>A work that carries <see cref="LongTitle"/>.</summary>
    public int LongTitleWorkId { get; private set; }

    /// <summary>The layout and accessibility tests' visits of every page, made once per person and width.</summary>
    public LayoutVisits Visits { get; } = new();

    protected override async Task PrepareDatabaseAsync(string database, string imagesDirectory)
    {
        await using var services = TestDatabase.Services(database, imagesDirectory);
        await TestAccounts.CreateAsync(services, VisitorEmail);
        await TestAccounts.CreateAsync(services, CuratorEmail, GalleryRoles.Curator);
        await TestAccounts.CreateAsync(services, AdminEmail, GalleryRoles.Admin);

        await using var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        await db.Artworks.Where(a => a.Id % 10 == 0).ExecuteUpdateAsync(s => s.SetProperty(a => a.Title, LongTitle));
        LongTitleWorkId = await db.Artworks.Where(a => a.Id % 10 == 0).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
    }
}

[CollectionDefinition(LayoutGalleryServer.Collection)]
public sealed class SharedLayoutServer : ICollectionFixture<LayoutGalleryServer>
{
}
