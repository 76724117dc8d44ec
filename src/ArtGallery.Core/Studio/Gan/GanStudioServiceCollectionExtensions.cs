using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.Gan;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Studio.Gan;

public static class GanStudioServiceCollectionExtensions
{
    /// <summary>The GAN painter and the studio operations over it (grid, morph, breed, upscale).</summary>
    public static IServiceCollection AddGanStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<GanGenerator>();
        services.AddSingleton<IEngine>(sp => sp.GetRequiredService<GanGenerator>());
        services.AddSingleton<GanStudioService>();
        return services;
    }
}
