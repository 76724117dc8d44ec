namespace ArtGallery.Evaluation;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>
    /// The evaluation services the eval verbs resolve (the recogniser's feature extractor with its
    /// cache, the GAN's Fréchet evaluation). Only the CLI adds them; the web host never does.
    /// Needs AddEmbeddings, AddIngestion and AddGanStudio.
    /// </summary>
    public static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        services.AddSingleton<StyleFeatureExtractor>();
        services.AddSingleton<GanEvaluation>();
        return services;
    }
}
