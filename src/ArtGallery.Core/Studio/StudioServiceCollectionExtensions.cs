using ArtGallery.Engines.Studio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Studio;

public static class StudioServiceCollectionExtensions
{
    /// <summary>
    /// The studio: style-transfer engine and jobs, and "My creations"; <paramref name="worker"/> runs
    /// queued renders in the background. Needs AddGalleryFoundation, AddEmbeddings and AddSearch.
    /// </summary>
    public static IServiceCollection AddStudio(this IServiceCollection services, IConfiguration configuration, bool worker)
    {
        services.Configure<StudioOptions>(configuration.GetSection(StudioOptions.Section));
        services.AddSingleton<StyleTransferEngine>();
        services.AddSingleton<StudioSignal>();
        services.AddSingleton<StyleTransferJobs>();
        services.AddSingleton<CreationService>();
        services.AddSingleton<StudioUploadSweeper>();
        if (worker)
        {
            services.AddHostedService(sp => sp.GetRequiredService<StudioUploadSweeper>());
            services.AddSingleton<StyleTransferWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<StyleTransferWorker>());
        }

        return services;
    }
}
