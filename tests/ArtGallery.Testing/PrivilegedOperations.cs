using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Demo;
using ArtGallery.Core.Export;
using ArtGallery.Core.Import;
using ArtGallery.Core.Market;
using ArtGallery.Data;
using ArtGallery.Engines.Demo;
using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Testing;

/// <summary>What a privileged operation acts on in the authorisation matrix: real rows in the test database.</summary>
public sealed record OperationScene(IServiceProvider Services, int ArtworkId, int StyleTagId, int CollectionId, string TargetUserId)
{
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A folder with one newly painted work: something real for an import to read.</summary>
    public string ImportFolder { get; } = OneWorkFolder();

    /// <summary>An unpublished collection (exporting one needs Curate; a published one is public).</summary>
    public async Task<int> UnpublishedCollectionAsync()
    {
        await using var db = await Get<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        var existing = await db.Collections.Where(c => c.Name == "Matrix unpublished").Select(c => (int?)c.Id).FirstOrDefaultAsync();
        if (existing is { } id)
        {
            return id;
        }

        var collection = new Collection { Name = "Matrix unpublished", Slug = $"matrix-unpublished-{Guid.NewGuid():N}", IsPublished = false };
        db.Collections.Add(collection);
        await db.SaveChangesAsync();
        return collection.Id;
    }

    /// <summary>A sale of the scene's work with a lot of its own.</summary>
    public SaleInput MatrixSale() => new(ArtworkId, new DateOnly(2022, 5, 1), "Matrix House", VenueKind.Auction, Guid.NewGuid().ToString("N")[..20], 1000, "USD", null, null, false, true);

    private static string OneWorkFolder()
    {
        var folder = Directory.CreateTempSubdirectory("ag-matrix-import-").FullName;
        File.WriteAllBytes(Path.Combine(folder, "matrix-work.jpg"), DemoSeeder.Paint(DemoCatalogue.Plan(1, seed: 4242)[0]));
        return folder;
    }
}

/// <summary>A service method that takes the caller, the level it must demand, and a call of it that succeeds when allowed.</summary>
public sealed record PrivilegedOperation(string Name, AccessLevel Level, Func<OperationScene, ClaimsPrincipal, Task> Invoke);

/// <summary>
/// The registry of every service method that takes a caller. The authorisation matrix test walks it
/// for every kind of caller, and fails when a public method taking <c>ClaimsPrincipal caller</c>
/// exists in Core without an entry here: a new operation cannot skip the matrix. Names are
/// <c>Type.Method</c>.
/// </summary>
public static class PrivilegedOperations
{
    public static IReadOnlyList<PrivilegedOperation> All { get; } =
    [
        // Accounts
        new("AccountAdminService.ListAccountsAsync", AccessLevel.Administer, (s, c) => s.Get<AccountAdminService>().ListAccountsAsync(c)),
        new("AccountAdminService.GrantRoleAsync", AccessLevel.Administer, (s, c) => s.Get<AccountAdminService>().GrantRoleAsync(c, s.TargetUserId, GalleryRoles.Curator)),
        new("AccountAdminService.RevokeRoleAsync", AccessLevel.Administer, (s, c) => s.Get<AccountAdminService>().RevokeRoleAsync(c, s.TargetUserId, GalleryRoles.Curator)),

        // Collections (a curated collection; a visitor's own saved collections are Engage)
        new("CollectionCurationService.ListEditableAsync", AccessLevel.Engage, (s, c) => s.Get<CollectionCurationService>().ListEditableAsync(c)),
        new("CollectionCurationService.CreatePersonalAsync", AccessLevel.Engage, (s, c) => s.Get<CollectionCurationService>().CreatePersonalAsync(c, "Saved works", null)),
        new("CollectionCurationService.CreateCuratedAsync", AccessLevel.Curate, (s, c) => s.Get<CollectionCurationService>().CreateCuratedAsync(c, "Matrix collection", "made by the matrix")),
        new("CollectionCurationService.GetForEditAsync", AccessLevel.Curate, (s, c) => s.Get<CollectionCurationService>().GetForEditAsync(c, s.CollectionId)),
        new("CollectionCurationService.UpdateAsync", AccessLevel.Curate, (s, c) => s.Get<CollectionCurationService>().UpdateAsync(c, s.CollectionId, "Renamed by the matrix", "described")),
        new("CollectionCurationService.SetPublishedAsync", AccessLevel.Curate, (s, c) => s.Get<CollectionCurationService>().SetPublishedAsync(c, s.CollectionId, true)),
        new("CollectionCurationService.AddWorkAsync", AccessLevel.Curate, (s, c) => s.Get<CollectionCurationService>().AddWorkAsync(c, s.CollectionId, s.ArtworkId)),
        new("CollectionCurationService.MoveWorkAsync", AccessLevel.Curate, (s, c) => s.Get<CollectionCurationService>().MoveWorkAsync(c, s.CollectionId, s.ArtworkId, -1)),
        new("CollectionCurationService.SetCoverAsync", AccessLevel.Curate, (s, c) => s.Get<CollectionCurationService>().SetCoverAsync(c, s.CollectionId, null)),
        new("CollectionCurationService.RemoveWorkAsync", AccessLevel.Curate, (s, c) => s.Get<CollectionCurationService>().RemoveWorkAsync(c, s.CollectionId, -1)),

        // Tagging
        new("TaggingService.CreateTagAsync", AccessLevel.Curate, (s, c) => s.Get<TaggingService>().CreateTagAsync(c, TagVocabulary.Free, $"matrix {Guid.NewGuid():N}")),
        new("TaggingService.TagWorksAsync", AccessLevel.Curate, (s, c) => s.Get<TaggingService>().TagWorksAsync(c, [s.ArtworkId], s.StyleTagId)),
        new("TaggingService.UntagWorksAsync", AccessLevel.Curate, (s, c) => s.Get<TaggingService>().UntagWorksAsync(c, [s.ArtworkId], s.StyleTagId)),
        new("TaggingService.AuditTrailAsync", AccessLevel.Curate, (s, c) => s.Get<TaggingService>().AuditTrailAsync(c, s.ArtworkId)),

        // Review queue
        new("ReviewQueueService.ListSuggestionsAsync", AccessLevel.Curate, (s, c) => s.Get<ReviewQueueService>().ListSuggestionsAsync(c)),
        new("ReviewQueueService.DecideAsync", AccessLevel.Curate, (s, c) => s.Get<ReviewQueueService>().DecideAsync(c, [new ReviewDecision(s.ArtworkId, s.StyleTagId, false)])),
        new("ReviewQueueService.ListSecondLookAsync", AccessLevel.Curate, (s, c) => s.Get<ReviewQueueService>().ListSecondLookAsync(c, 5)),

        // Bulk import and export
        new("BulkImportService.ImportAsync", AccessLevel.Curate, (s, c) => s.Get<BulkImportService>().ImportAsync(c, new ImportRequest(s.ImportFolder))),
        new("BulkImportService.EnqueueAsync", AccessLevel.Curate, (s, c) => s.Get<BulkImportService>().EnqueueAsync(c, new ImportRequest(s.ImportFolder))),
        new("BulkImportService.ReportAsync", AccessLevel.Curate, async (s, c) =>
        {
            var job = await s.Get<BulkImportService>().EnqueueAsync(GalleryAccess.Operator, new ImportRequest(s.ImportFolder));
            await s.Get<BulkImportService>().ReportAsync(c, job);
        }),
        new("BulkImportService.RecentAsync", AccessLevel.Curate, (s, c) => s.Get<BulkImportService>().RecentAsync(c)),
        new("CollectionExporter.LoadAsync", AccessLevel.Curate, async (s, c) => await s.Get<CollectionExporter>().LoadAsync(c, await s.UnpublishedCollectionAsync())),

        // Market: signed-in users read, curators edit (each added sale gets a lot of its own: no natural-key clash)
        new("MarketService.ListSalesAsync", AccessLevel.Engage, (s, c) => s.Get<MarketService>().ListSalesAsync(c, s.ArtworkId)),
        new("MarketService.GetOverviewAsync", AccessLevel.Engage, (s, c) => s.Get<MarketService>().GetOverviewAsync(c)),
        new("MarketService.ValueAsync", AccessLevel.Engage, (s, c) => s.Get<MarketService>().ValueAsync(c, s.ArtworkId)),
        new("MarketEditService.ListRatesAsync", AccessLevel.Engage, (s, c) => s.Get<MarketEditService>().ListRatesAsync(c)),
        new("MarketEditService.SetRateAsync", AccessLevel.Curate, (s, c) => s.Get<MarketEditService>().SetRateAsync(c, "CHF", new DateOnly(2020, 1, 1), 1.1m)),
        new("MarketEditService.AddSaleAsync", AccessLevel.Curate, (s, c) => s.Get<MarketEditService>().AddSaleAsync(c, s.MatrixSale())),
        new("MarketEditService.DeleteSaleAsync", AccessLevel.Curate, async (s, c) =>
            await s.Get<MarketEditService>().DeleteSaleAsync(c, await s.Get<MarketEditService>().AddSaleAsync(GalleryAccess.Operator, s.MatrixSale()))),
        new("MarketEditService.ImportAsync", AccessLevel.Curate, (s, c) =>
            s.Get<MarketEditService>().ImportAsync(c, $"work_id,date,venue,lot,price,currency\n{s.ArtworkId},2021-01-01,Matrix House,{Guid.NewGuid():N},100,USD", null)),
    ];
}
