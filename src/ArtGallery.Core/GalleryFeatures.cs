using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Market;
using ArtGallery.Core.Recognition;
using ArtGallery.Core.Recommendations;
using ArtGallery.Core.Search;
using ArtGallery.Core.Studio;

namespace ArtGallery.Core;

public static class GalleryFeatures
{
    /// <summary>
    /// The features every host runs, in the order they stand on each other: the foundation (database,
    /// images, jobs), the gallery, ingestion and bulk import, embeddings, recognition, search,
    /// recommendations, the studio and the market. Each registers itself beside its code and reads its
    /// own worker switch; a host adds its own features after these (the web: accounts and curation).
    /// </summary>
    public static IServiceCollection AddGalleryFeatures(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddGalleryFoundation(configuration)
            .AddGallery()
            .AddIngestion(configuration)
            .AddBulkImport(configuration)
            .AddEmbeddings(configuration)
            .AddRecognition(configuration)
            .AddSearch(configuration)
            .AddRecommendations(configuration)
            .AddStudio(configuration)
            .AddMarket();
}
