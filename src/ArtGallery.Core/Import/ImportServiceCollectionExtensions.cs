using ArtGallery.Core.Export;
using ArtGallery.Core.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>
    /// Bulk import (CSV sidecars, ZIPs, WikiArt folders, IIIF manifests) as durable jobs, and export of
    /// collections as CSV and IIIF; unless <c>Import:Worker</c> is false, a worker runs imports queued
    /// from the web page. Needs AddIngestion.
    /// </summary>
    public static IServiceCollection AddBulkImport(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ImportOptions.Section);
        services.Configure<ImportOptions>(section);
        services.AddSingleton<ImportPlanner>();
        services.AddSingleton<BulkImportService>();
        services.AddSingleton<CollectionExporter>();
        return services.AddWorker<ImportWorker>(section.GetValue("Worker", true));
    }
}
