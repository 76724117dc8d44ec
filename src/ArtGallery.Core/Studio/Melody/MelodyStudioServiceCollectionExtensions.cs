using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.Melody;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Studio.Melody;

public static class MelodyStudioServiceCollectionExtensions
{
    /// <summary>The melody generator (one ONNX session) and the studio service over it.</summary>
    public static IServiceCollection AddMelodyStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<MelodyGenerator>();
        services.AddSingleton<IEngine>(sp => sp.GetRequiredService<MelodyGenerator>());
        services.AddSingleton<MelodyStudioService>();
        return services;
    }
}
