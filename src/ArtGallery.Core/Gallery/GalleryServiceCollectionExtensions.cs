using ArtGallery.Core.Health;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Gallery;

public static class GalleryServiceCollectionExtensions
{
    /// <summary>Browse, artwork pages and similar works.</summary>
    public static IServiceCollection AddGallery(this IServiceCollection services)
    {
        services.AddSingleton<GalleryService>();
        services.AddSingleton<GalleryHealth>();
        return services;
    }
}
