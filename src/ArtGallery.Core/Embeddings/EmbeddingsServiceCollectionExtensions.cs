using ArtGallery.Core.Search;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Text;

namespace ArtGallery.Core.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// The style and text encoders, the embedding pipeline and the words/palette indexer;
    /// unless <c>Embeddings:Worker</c> is false, the background backfill runs too.
    /// </summary>
    public static IServiceCollection AddEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        return services
            .AddEngine<StyleEncoder>(configuration)
            .AddEngine<TextEncoder>(configuration)
            .AddSingletons(typeof(SearchIndexer), typeof(EmbeddingSignal), typeof(EmbeddingPipeline))
            .AddWorker<EmbeddingWorker>(configuration.GetValue("Embeddings:Worker", true));
    }
}
