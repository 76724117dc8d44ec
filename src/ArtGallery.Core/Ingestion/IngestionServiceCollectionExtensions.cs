using ArtGallery.Core.Demo;

namespace ArtGallery.Core.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>Import and the demo collection.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureSection<DemoOptions>(configuration, DemoOptions.Section);
        return services.AddSingletons(typeof(ArtworkIngestor), typeof(DemoSeeder));
    }
}
