using ArtGallery.Core.Accounts;
using ArtGallery.Core.Jobs;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Imaging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ArtGallery.Core.Infrastructure;

public static class GalleryFoundationServiceCollectionExtensions
{
    /// <summary>Database, image store and the job table: what every feature stands on.</summary>
    public static IServiceCollection AddGalleryFoundation(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.ConfigureSection<StorageOptions>(configuration, StorageOptions.Section);
        services.AddSingleton(new ImageDecoder(configuration.GetSection(ImageLimits.Section).Get<ImageLimits>() ?? ImageLimits.Default));
        return services.AddGalleryDatabase(configuration).AddSingletons(typeof(ImageStore), typeof(JobStore), typeof(CallerVerifier));
    }
}
