using ArtGallery.Core.Export;

namespace ArtGallery.Core.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>
    /// Bulk import (CSV sidecars, ZIPs, WikiArt folders, IIIF manifests) as durable jobs, and export of
    /// collections as CSV and IIIF; unless <c>Import:Worker</c> is false, a worker runs imports queued
    /// from the web page and a sweeper removes staged uploads and unpacked ZIPs past their lifetime.
    /// Needs AddIngestion.
    /// </summary>
    public static IServiceCollection AddBulkImport(this IServiceCollection services, IConfiguration configuration)
    {
        var section = services.ConfigureSection<ImportOptions>(configuration, ImportOptions.Section);
        var worker = section.GetValue("Worker", true);
        return services
            .AddSingletons(typeof(ImportPlanner), typeof(BulkImportService), typeof(CollectionExporter))
            .AddWorker<ImportWorker>(worker)
            .AddWorker<ImportStagingSweeper>(worker);
    }
}
