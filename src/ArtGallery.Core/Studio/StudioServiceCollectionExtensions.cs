using ArtGallery.Core.Studio.Gan;
using ArtGallery.Core.Studio.Melody;
using ArtGallery.Core.Studio.Poetry;
using ArtGallery.Core.Studio.StyleTransfer;

namespace ArtGallery.Core.Studio;

public static class StudioServiceCollectionExtensions
{
    /// <summary>
    /// The studio: "My creations" and every engine (style transfer, GAN, melody, poem). A new engine
    /// adds its AddXxx here: its engine (<see cref="FeatureRegistration.AddEngine{TEngine}"/>) and its service.
    /// </summary>
    public static IServiceCollection AddStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CreationService>();
        return services
            .AddStyleTransfer(configuration)
            .AddGanStudio(configuration)
            .AddMelodyStudio(configuration)
            .AddPoemStudio(configuration);
    }
}
