using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Recognition;

public static class RecognitionServiceCollectionExtensions
{
    /// <summary>
    /// The style recogniser (learns from curator-tagged works) and its activation maps; unless <c>Recognition:Worker</c> is
    /// false, a worker keeps it trained and its suggestions current in the background. Needs AddEmbeddings.
    /// </summary>
    public static IServiceCollection AddRecognition(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<StyleRecognitionService>();
        services.AddSingleton<RecognitionSignal>();
        services.AddSingleton<ActivationMapService>();
        if (configuration.GetValue("Recognition:Worker", true))
        {
            services.AddSingleton<RecognitionWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<RecognitionWorker>());
        }

        return services;
    }
}
