using ArtGallery.Engines.Gan;
using ArtGallery.Engines.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Studio;

public static class GanStudioServiceCollectionExtensions
{
    /// <summary>The GAN painter and the studio operations over it (grid, morph, breed, upscale).</summary>
    public static IServiceCollection AddGanStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<GanGenerator>();
        services.AddSingleton<GanStudioService>();
        return services;
    }
}
