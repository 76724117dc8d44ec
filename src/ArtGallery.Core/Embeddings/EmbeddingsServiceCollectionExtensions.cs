using ArtGallery.Core.Infrastructure;
using ArtGallery.Core.Search;
using ArtGallery.Engines.Encoding;
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
        services.AddEngine<StyleEncoder>(configuration).AddEngine<TextEncoder>(configuration);
        services.AddSingleton<SearchIndexer>();
        services.AddSingleton<EmbeddingSignal>();
        services.AddSingleton<EmbeddingPipeline>();
        return services.AddWorker<EmbeddingWorker>(configuration.GetValue("Embeddings:Worker", true));
    }
}
