using ArtGallery.Core.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>Import and the demo collection.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DemoOptions>(configuration.GetSection(DemoOptions.Section));
        services.AddSingleton<ArtworkIngestor>();
        services.AddSingleton<DemoSeeder>();
        return services;
    }
}
