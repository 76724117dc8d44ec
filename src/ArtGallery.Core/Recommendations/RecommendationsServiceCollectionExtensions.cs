
namespace ArtGallery.Core.Recommendations;

public static class RecommendationsServiceCollectionExtensions
{
    /// <summary>
    /// Engagement signals and the "For you" feed; unless <c>Recommendations:Writer</c> is false,
    /// queued views are written in the background. Needs AddSearch for the index settings.
    /// </summary>
    public static IServiceCollection AddRecommendations(this IServiceCollection services, IConfiguration configuration)
    {
        var section = services.ConfigureSection<RecommendationOptions>(configuration, RecommendationOptions.Section);
        services.AddSingletons(
            typeof(ViewBuffer), typeof(VisitorHistoryCache), typeof(WorkVectorCache), typeof(EngagementService), typeof(RecommendationService));
        if (section.GetValue("Writer", true))
        {
            services.AddHostedService<EngagementWriter>();
        }

        return services;
    }
}
