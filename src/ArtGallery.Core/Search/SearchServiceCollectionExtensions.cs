using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Core.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>
    /// Find similar (style, content, blend; filtered), search by photo, by words and by palette;
    /// needs AddEmbeddings for the encoders.
    /// </summary>
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SearchOptions>(configuration.GetSection(SearchOptions.Section));
        services.AddSingleton<SimilarityScale>();
        services.AddSingleton<SimilarSearchService>();
        services.AddSingleton<WordSearchService>();
        services.AddSingleton<PaletteSearchService>();
        return services;
    }
}
