using ArtGallery.Core.Gallery;

namespace ArtGallery.Core.Search;

/// <summary>Which embedding a similar-work search compares.</summary>
public enum SimilarMode
{
    /// <summary>Palette, brushwork, texture.</summary>
    Style,

    /// <summary>What the picture shows.</summary>
    Content,

    /// <summary>A weighted mix of both distances (<see cref="SimilarQuery.StyleWeight"/>).</summary>
    Blend,
}

/// <summary>Restricts the candidates of a similar-work search; every criterion is optional (AND).</summary>
public sealed record SimilarFilters
{
    public int? ArtistId { get; init; }

    public int? CollectionId { get; init; }

    public int? YearFrom { get; init; }

    public int? YearTo { get; init; }

    /// <summary>Slug of an accepted tag of any vocabulary (style, subject, …).</summary>
    public string? Tag { get; init; }

    public bool IsEmpty => ArtistId is null && CollectionId is null && YearFrom is null && YearTo is null && Tag is null;
}

/// <summary>A similar-work search: what to compare, how strict, which works may answer, how many.</summary>
public sealed record SimilarQuery
{
    public const int DefaultCount = 24;
    public const int MaxCount = 96;
    public const double DefaultStyleWeight = 0.5;

    public SimilarMode Mode { get; init; } = SimilarMode.Blend;

    /// <summary>Blend only: weight of the style distance in 0..1; the content distance gets the rest.</summary>
    public double StyleWeight { get; init; } = DefaultStyleWeight;

    /// <summary>Results scoring below this cosine similarity are dropped (so fewer than <see cref="Count"/> may come back).</summary>
    public double MinSimilarity { get; init; }

    /// <summary>
    /// Results below this match (0..1 on the collection's own scale, <see cref="SimilarityScale"/>) are
    /// dropped: the threshold people set with the slider. 0 keeps everything.
    /// </summary>
    public double MinMatch { get; init; }

    public SimilarFilters Filters { get; init; } = new();

    public int Count { get; init; } = DefaultCount;

    /// <summary>The weight the style distance really gets: 1 for Style, 0 for Content.</summary>
    public double EffectiveStyleWeight => Mode switch
    {
        SimilarMode.Style => 1,
        SimilarMode.Content => 0,
        _ => StyleWeight,
    };

    /// <summary>
    /// The same query with every value brought into range: count 1..<see cref="MaxCount"/>, weight
    /// 0..1, threshold −1..1 (cosine), a reversed year range swapped, blank tag dropped. Queries come
    /// from URLs anyone can edit, so the service clamps instead of failing.
    /// </summary>
    public SimilarQuery Normalized()
    {
        static double Clamp(double value, double min, double max, double fallback) =>
            double.IsNaN(value) ? fallback : Math.Clamp(value, min, max);

        var filters = Filters ?? new SimilarFilters();
        var (from, to) = filters.YearFrom is { } f && filters.YearTo is { } t && f > t ? (t, f) : (filters.YearFrom, filters.YearTo);
        var tag = string.IsNullOrWhiteSpace(filters.Tag) ? null : filters.Tag.Trim().ToLowerInvariant();
        return this with
        {
            Mode = Enum.IsDefined(Mode) ? Mode : SimilarMode.Blend,
            StyleWeight = Clamp(StyleWeight, 0, 1, DefaultStyleWeight),
            MinSimilarity = Clamp(MinSimilarity, -1, 1, 0),
            MinMatch = Clamp(MinMatch, 0, 1, 0),
            Count = Math.Clamp(Count, 1, MaxCount),
            Filters = filters with { YearFrom = from, YearTo = to, Tag = tag },
        };
    }
}

/// <summary>One answer: the blended score the list is ordered by, and both cosine similarities it came from.</summary>
public sealed record SimilarMatch(ArtworkCard Card, double Score, double StyleScore, double ContentScore)
{
    /// <summary>The score on the collection's own scale (0..1, <see cref="SimilarityScale"/>); null before the collection has one.</summary>
    public double? Match { get; init; }
}

/// <summary>The answer to a search, with the normalised query that produced it.</summary>
public sealed record SimilarResults(SimilarQuery Query, IReadOnlyList<SimilarMatch> Items)
{
    public static SimilarResults Empty(SimilarQuery query) => new(query, []);
}

/// <summary>A tag that can filter a search, with its vocabulary for grouping.</summary>
public sealed record TagFacet(string Slug, string Name, string Vocabulary, int Count);

/// <summary>Why a photo could not be searched; the message is meant for the visitor.</summary>
public sealed class PhotoSearchException : Exception
{
    public PhotoSearchException()
    {
    }

    public PhotoSearchException(string message)
        : base(message)
    {
    }

    public PhotoSearchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Settings of the Search feature ("Search" in configuration).</summary>
public sealed record SearchOptions
{
    public const string Section = "Search";

    /// <summary>Largest photo a visitor may upload, in bytes (default 10 MiB); checked in the page and in the service.</summary>
    public long MaxUploadBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>
    /// pgvector 0.8 iterative index scan: <c>relaxed_order</c> (default; results re-sorted outside
    /// the index scan) or <c>strict_order</c>, or <c>off</c> to see what filters do without it.
    /// </summary>
    public string IterativeScan { get; init; } = "relaxed_order";

    /// <summary>HNSW candidate list (pgvector's default is 40); the artwork page strips use 64 too.</summary>
    public int EfSearch { get; init; } = NearestNeighbours.DefaultEfSearch;

    /// <summary>Most tuples an iterative scan visits before giving up on filling the page (pgvector default 20000).</summary>
    public int MaxScanTuples { get; init; } = 20_000;

    /// <summary>Candidates taken from each index per requested result before exact re-ranking.</summary>
    public int CandidateFactor { get; init; } = 4;

    /// <summary>
    /// Mode a photo search uses unless the visitor picks another. Style: its channel statistics
    /// forget where things are, so a tilted, reframed, recompressed snapshot still lands on the
    /// original (60 of 60 demo works in the top 3 at 3° and 5°, against 59 of 60 for content or a
    /// 0.5 or 0.8 blend; see SimilarSearchTests).
    /// </summary>
    public SimilarMode PhotoMode { get; init; } = SimilarMode.Style;
}
