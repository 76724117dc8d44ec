using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Curation;

public static class CurationServiceCollectionExtensions
{
    /// <summary>Collections, tagging with its audit trail, and the review queue. Needs AddRecognition.</summary>
    public static IServiceCollection AddCuration(this IServiceCollection services)
    {
        services.AddSingleton<CollectionCurationService>();
        services.AddSingleton<TaggingService>();
        services.AddSingleton<ReviewQueueService>();
        return services;
    }
}
