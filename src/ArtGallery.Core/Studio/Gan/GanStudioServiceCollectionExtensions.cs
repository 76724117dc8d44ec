using ArtGallery.Engines.Studio.Gan;

namespace ArtGallery.Core.Studio.Gan;

public static class GanStudioServiceCollectionExtensions
{
    /// <summary>The GAN painter and the studio operations over it (grid, morph, breed, upscale).</summary>
    public static IServiceCollection AddGanStudio(this IServiceCollection services, IConfiguration configuration) =>
        services.AddEngine<GanGenerator>(configuration).AddSingleton<GanStudioService>();
}
