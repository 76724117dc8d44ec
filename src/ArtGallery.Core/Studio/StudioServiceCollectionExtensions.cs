using ArtGallery.Core.Infrastructure;
using ArtGallery.Core.Studio.Gan;
using ArtGallery.Core.Studio.Melody;
using ArtGallery.Core.Studio.Poetry;
using ArtGallery.Core.Studio.StyleTransfer;
using ArtGallery.Engines.Studio.Gan;
using ArtGallery.Engines.Studio.Melody;
using ArtGallery.Engines.Studio.Poetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The GAN painter and the studio operations over it (grid, morph, breed, upscale).</summary>
    public static IServiceCollection AddGanStudio(this IServiceCollection services, IConfiguration configuration) =>
        services.AddEngine<GanGenerator>(configuration).AddSingleton<GanStudioService>();

    /// <summary>The melody generator (one ONNX session) and the studio service over it.</summary>
    public static IServiceCollection AddMelodyStudio(this IServiceCollection services, IConfiguration configuration) =>
        services.AddEngine<MelodyGenerator>(configuration).AddSingleton<MelodyStudioService>();

    /// <summary>The poem generator (one ONNX session) and the literature studio over it. Needs AddGalleryFoundation, AddEmbeddings and AddSearch (a kept poem links to the works closest to it).</summary>
    public static IServiceCollection AddPoemStudio(this IServiceCollection services, IConfiguration configuration) =>
        services.AddEngine<PoemGenerator>(configuration).AddSingleton<PoemStudioService>();
}
