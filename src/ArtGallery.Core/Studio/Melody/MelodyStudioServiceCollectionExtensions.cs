using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Core.Studio.Melody;

public static class MelodyStudioServiceCollectionExtensions
{
    /// <summary>The melody generator (one ONNX session) and the studio service over it.</summary>
    public static IServiceCollection AddMelodyStudio(this IServiceCollection services, IConfiguration configuration) =>
        services.AddEngine<MelodyGenerator>(configuration).AddSingleton<MelodyStudioService>();
}
