
namespace ArtGallery.Core.Recognition;

public static class RecognitionServiceCollectionExtensions
{
    /// <summary>
    /// The vocabulary recogniser (one head per controlled vocabulary, learned from curator-tagged
    /// works), the style recogniser (its Style head) and the heads' activation maps; unless
    /// <c>Recognition:Worker</c> is false, a worker keeps every head trained and its suggestions current
    /// in the background. Needs AddEmbeddings.
    /// </summary>
    public static IServiceCollection AddRecognition(this IServiceCollection services, IConfiguration configuration)
    {
        return services
            .AddSingletons(typeof(VocabularyRecogniser), typeof(StyleRecognitionService), typeof(RecognitionSignal), typeof(ActivationMapService))
            .AddWorker<RecognitionWorker>(configuration.GetValue("Recognition:Worker", true));
    }
}
