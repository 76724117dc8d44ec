using ArtGallery.Core.Export;
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
        if (section.GetValue("Worker", true))
        {
            services.AddSingleton<ImportWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<ImportWorker>());
        }

        return services;
    }
}
