using ArtGallery.Engines.Studio.Poetry;

namespace ArtGallery.Core.Studio.Poetry;

public static class PoemStudioServiceCollectionExtensions
{
    /// <summary>The poem generator (one ONNX session) and the literature studio over it. Needs AddGalleryFoundation, AddEmbeddings and AddSearch (a kept poem links to the works closest to it).</summary>
    public static IServiceCollection AddPoemStudio(this IServiceCollection services, IConfiguration configuration) =>
        services.AddEngine<PoemGenerator>(configuration).AddSingleton<PoemStudioService>();
}
