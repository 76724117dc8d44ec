using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Recommendations;

public static class RecommendationsServiceCollectionExtensions
{
    /// <summary>
    /// Engagement signals and the "For you" feed; unless <c>Recommendations:Writer</c> is false,
    /// queued views are written in the background. Needs AddSearch for the index settings.
    /// </summary>
    public static IServiceCollection AddRecommendations(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(RecommendationOptions.Section);
        services.Configure<RecommendationOptions>(section);
        services.AddSingleton<ViewBuffer>();
        services.AddSingleton<VisitorHistoryCache>();
        services.AddSingleton<WorkVectorCache>();
        services.AddSingleton<EngagementService>();
        services.AddSingleton<RecommendationService>();
        if (section.GetValue("Writer", true))
        {
            services.AddHostedService<EngagementWriter>();
        }

        return services;
    }
}
