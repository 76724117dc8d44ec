using ArtGallery.Engines.Studio.StyleTransfer;

namespace ArtGallery.Core.Studio.StyleTransfer;

public static class StyleTransferServiceCollectionExtensions
{
    /// <summary>
    /// Style transfer: the engine and its durable jobs; unless <c>Studio:Worker</c> is false, the
    /// worker that runs queued renders and the sweeper of unused uploads run in the background.
    /// Needs AddGalleryFoundation, AddEmbeddings and AddSearch.
    /// </summary>
    public static IServiceCollection AddStyleTransfer(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StudioOptions.Section);
        services.Configure<StudioOptions>(section);
        services.AddEngine<StyleTransferEngine>(configuration);
        services.AddSingleton<StudioSignal>();
        services.AddSingleton<StyleTransferJobs>();
        services.AddSingleton<StudioUploadSweeper>();
        var worker = section.GetValue("Worker", true);
        if (worker)
        {
            services.AddHostedService(sp => sp.GetRequiredService<StudioUploadSweeper>());
        }

        return services.AddWorker<StyleTransferWorker>(worker);
    }
}
