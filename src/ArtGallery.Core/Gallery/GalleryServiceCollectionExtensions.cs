using ArtGallery.Core.Health;

namespace ArtGallery.Core.Gallery;

public static class GalleryServiceCollectionExtensions
{
    /// <summary>Browse, artwork pages and similar works.</summary>
    public static IServiceCollection AddGallery(this IServiceCollection services) =>
        services.AddSingletons(typeof(GalleryService), typeof(GalleryHealth));
}
