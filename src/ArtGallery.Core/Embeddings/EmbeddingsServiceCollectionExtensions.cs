using ArtGallery.Core.Search;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// The style and text encoders, the embedding pipeline and the words/palette indexer;
    /// unless <c>Embeddings:Worker</c> is false, the background backfill runs too.
    /// </summary>
    public static IServiceCollection AddEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<StyleEncoder>();
        services.AddSingleton<IEngine>(sp => sp.GetRequiredService<StyleEncoder>());
        services.AddSingleton<TextEncoder>();
        services.AddSingleton<IEngine>(sp => sp.GetRequiredService<TextEncoder>());
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<EmbeddingSignal>();
        services.AddSingleton<EmbeddingPipeline>();
        if (configuration.GetValue("Embeddings:Worker", true))
        {
            services.AddSingleton<EmbeddingWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddingWorker>());
        }

        return services;
    }
}
