using ArtGallery.Core.Search;

namespace ArtGallery.Web.Features.Search;

/// <summary>
/// A search query as URL query parameters and back, so a result page can be shared, reloaded and
/// prerendered. Defaults are left out of the URL to keep shared links short.
/// </summary>
public static class SearchUrl
{
    /// <summary>The query parameters a search page reads (every one optional).</summary>
    /// <remarks><paramref name="match"/> is the minimum match in percent (the slider); <paramref name="min"/> a raw cosine.</remarks>
    public static SimilarQuery Parse(string? mode, double? weight, double? min, int? artist, int? collection, int? from, int? to, string? tag, int? count,
        SimilarMode defaultMode = SimilarMode.Blend, double? match = null) =>
        new SimilarQuery
        {
            Mode = Enum.TryParse<SimilarMode>(mode, ignoreCase: true, out var m) && Enum.IsDefined(m) ? m : defaultMode,
            StyleWeight = weight ?? SimilarQuery.DefaultStyleWeight,
            MinSimilarity = min ?? 0,
            MinMatch = (match ?? 0) / 100,
            Count = count ?? SimilarQuery.DefaultCount,
            Filters = new SimilarFilters { ArtistId = artist, CollectionId = collection, YearFrom = from, YearTo = to, Tag = tag },
        }.Normalized();

    /// <summary>Every parameter of <see cref="Parse"/>, null where it is the default (which removes it from the URL).</summary>
    public static Dictionary<string, object?> Parameters(SimilarQuery query, SimilarMode defaultMode = SimilarMode.Blend)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Normalized();
        return new Dictionary<string, object?>
        {
            ["mode"] = q.Mode == defaultMode ? null : q.Mode.ToString().ToLowerInvariant(),
            ["w"] = q.Mode != SimilarMode.Blend || q.StyleWeight == SimilarQuery.DefaultStyleWeight ? null : Format(q.StyleWeight),
            ["min"] = q.MinSimilarity == 0 ? null : Format(q.MinSimilarity),
            ["match"] = q.MinMatch == 0 ? null : Format(q.MinMatch * 100),
            ["artist"] = q.Filters.ArtistId,
            ["collection"] = q.Filters.CollectionId,
            ["from"] = q.Filters.YearFrom,
            ["to"] = q.Filters.YearTo,
            ["tag"] = q.Filters.Tag,
            ["k"] = q.Count == SimilarQuery.DefaultCount ? null : q.Count,
        };
    }

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
