using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.Poetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Studio.Poetry;

public static class PoemStudioServiceCollectionExtensions
{
    /// <summary>The poem generator (one ONNX session) and the literature studio over it. Needs AddGalleryFoundation, AddEmbeddings and AddSearch (a kept poem links to the works closest to it).</summary>
    public static IServiceCollection AddPoemStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<PoemGenerator>();
        services.AddSingleton<IEngine>(sp => sp.GetRequiredService<PoemGenerator>());
        services.AddSingleton<PoemStudioService>();
        return services;
    }
}
