using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Market;
using ArtGallery.Core.Recognition;
using ArtGallery.Core.Recommendations;
using ArtGallery.Core.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Infrastructure;

public static class GalleryFeaturesServiceCollectionExtensions
{
    /// <summary>
    /// The features the web host, the CLI and the tests all stand on, each registered beside its code
    /// (and reading its own worker switch): foundation, gallery, ingestion, bulk import, embeddings,
    /// recognition, search, recommendations and the market. A host adds its own on top (the web:
    /// accounts, curation and the studio).
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
            .AddMarket();
}
