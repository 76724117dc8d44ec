using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Export;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Search;

namespace ArtGallery.IntegrationTests;

/// <summary>
/// Every query that takes a collection id (browse, the collection page, find similar, export) against
/// every kind of collection and every kind of viewer: a collection's works show only to those the
/// collection page shows the collection to.
/// </summary>
public sealed class CollectionVisibilityTests(DemoDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task EveryQueryTakingACollectionId_ForEveryViewer_ShowsWorksOnlyWhereTheCollectionPageWould()
    {
        var services = fixture.Services;
        var viewers = (await TestAccounts.EveryKindAsync(services, "visibility")).ToList();
        var owner = await TestAccounts.CreateAsync(services, "visibility-owner@example.test");
        viewers.Add(("owner", owner));
        var curator = viewers.Single(v => v.Name == "curator").Principal;
        var collections = services.GetRequiredService<CollectionCurationService>();
        var gallery = services.GetRequiredService<GalleryService>();
        var search = services.GetRequiredService<SimilarSearchService>();
        var exporter = services.GetRequiredService<CollectionExporter>();

        var published = await WithWorksAsync(collections, curator, await collections.CreateCuratedAsync(curator, "Visibility published", null));
        await collections.SetPublishedAsync(curator, published.Id, true);
        var unpublished = await WithWorksAsync(collections, curator, await collections.CreateCuratedAsync(curator, "Visibility unpublished", null));
        var saved = await WithWorksAsync(collections, owner, await collections.CreatePersonalAsync(owner, "Visibility saved", null));

        var wrong = new List<string>();
        var checks = 0;
        foreach (var (kind, collection) in new[] { ("published", published), ("unpublished", unpublished), ("saved", saved) })
        {
            foreach (var (name, viewer) in viewers)
            {
                // The collection page's rule decides; every other query must agree with it.
                var maySee = await gallery.GetCollectionAsync(collection.Slug, viewer) is not null;
                var expected = kind switch
                {
                    "published" => true,
                    "unpublished" => name is "curator" or "admin",
                    _ => name == "owner",
                };
                var browse = (await gallery.BrowseAsync(new ArtworkQuery { CollectionId = collection.Id, Sort = ArtworkSort.CollectionOrder }, viewer)).Total > 0;

                // Find similar's filter offers published collections only, to everyone.
                var similar = (await search.SimilarToArtworkAsync(1, new SimilarQuery { Filters = new SimilarFilters { CollectionId = collection.Id } })).Items.Count > 0;
                var export = await ExportsAsync(exporter, viewer, collection.Id);
                foreach (var (query, answer, allowed) in new[]
                {
                    ("collection page", maySee, expected),
                    ("browse", browse, expected),
                    ("find similar", similar, kind == "published"),
                    ("export", export, kind == "published" || (kind == "unpublished" && expected)),
                })
                {
                    checks++;
                    if (answer != allowed)
                    {
                        wrong.Add($"{query} of a {kind} collection for {name}: {(answer ? "shown" : "hidden")}");
                    }
                }
            }
        }

        output.WriteLine($"authorization matrix (collection queries): 3 kinds of collection x {viewers.Count} viewers x 4 queries = {checks} checks, {wrong.Count} open");
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task Browse_WithAPageFarPastTheEnd_IsEmptyRatherThanAnOverflow()
    {
        var page = await fixture.Services.GetRequiredService<GalleryService>().BrowseAsync(new ArtworkQuery { Page = int.MaxValue });
        Assert.Empty(page.Items);
        Assert.True(page.Total > 0);
    }

    private static async Task<CollectionListing> WithWorksAsync(CollectionCurationService collections, ClaimsPrincipal editor, CollectionListing collection)
    {
        foreach (var id in new[] { 21, 22, 23 })
        {
            await collections.AddWorkAsync(editor, collection.Id, id);
        }

        return collection;
    }

    private static async Task<bool> ExportsAsync(CollectionExporter exporter, ClaimsPrincipal viewer, int collectionId)
    {
        try
        {
            return await exporter.LoadAsync(viewer, collectionId) is not null;
        }
        catch (GalleryAccessDeniedException)
        {
            return false;
        }
    }
}
