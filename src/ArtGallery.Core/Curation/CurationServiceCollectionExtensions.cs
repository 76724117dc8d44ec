
namespace ArtGallery.Core.Curation;

public static class CurationServiceCollectionExtensions
{
    /// <summary>Collections, tagging with its audit trail, and the review queue. Needs AddRecognition.</summary>
    public static IServiceCollection AddCuration(this IServiceCollection services) =>
        services.AddSingletons(typeof(CollectionCurationService), typeof(TaggingService), typeof(ReviewQueueService));
}
