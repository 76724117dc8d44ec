using ArtGallery.Core.Studio.Gan;
using ArtGallery.Core.Studio.Melody;
using ArtGallery.Core.Studio.Poetry;
using ArtGallery.Core.Studio.StyleTransfer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Studio;

public static class StudioServiceCollectionExtensions
{
    /// <summary>
    /// The studio: "My creations" and every engine, each registered beside it (style transfer, GAN,
    /// melody, poem). A new engine adds its own AddXxx here.
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
