
namespace ArtGallery.Core.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>
    /// Find similar (style, content, blend; filtered), search by photo, by words and by palette;
    /// needs AddEmbeddings for the encoders.
    /// </summary>
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureSection<SearchOptions>(configuration, SearchOptions.Section);
        return services.AddSingletons(typeof(SimilarityScale), typeof(SimilarSearchService), typeof(WordSearchService), typeof(PaletteSearchService));
    }
}
