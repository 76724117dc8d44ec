namespace ArtGallery.Core.Gallery;

public enum ArtworkSort
{
    Recent,
    YearAscending,
    YearDescending,
    Title,

    /// <summary>The order a curator gave the works of <see cref="ArtworkQuery.CollectionId"/>.</summary>
    CollectionOrder,
}

public enum SimilarityKind
{
    /// <summary>Looks alike: palette, brushwork, texture.</summary>
    Style,

    /// <summary>Shows alike: what is depicted.</summary>
    Content,
}

/// <summary>A browse filter; every criterion is optional and they combine with AND.</summary>
public sealed record ArtworkQuery
{
    public string? Text { get; init; }

    public string? Style { get; init; }

    public int? ArtistId { get; init; }

    public int? CollectionId { get; init; }

    public int? YearFrom { get; init; }

    public int? YearTo { get; init; }

    public ArtworkSort Sort { get; init; } = ArtworkSort.Recent;

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 24;
}

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageNumber, int PageSize)
{
    public int PageCount => Math.Max(1, (int)Math.Ceiling(Total / (double)PageSize));
}

public sealed record ArtworkCard(int Id, string Title, int? ArtistId, string? ArtistName, int? Year, string ImageSha256, int PixelWidth, int PixelHeight, string? Style)
{
    public string AltText => $"{Title}{(ArtistName is null ? string.Empty : $" by {ArtistName}")}{(Year is null ? string.Empty : $", {Year}")}";
}

public sealed record TagView(string Vocabulary, string Name, string Slug, string Source, float Confidence);

public sealed record CollectionRef(int Id, string Name, string Slug);

public sealed record ArtworkDetail(
    ArtworkCard Card,
    string? Medium,
    string? Dimensions,
    string? Description,
    string? Credit,
    string? Licence,
    string? Source,
    bool IsGenerated,
    IReadOnlyList<string> Palette,
    IReadOnlyList<TagView> Tags,
    IReadOnlyList<CollectionRef> Collections,
    string? EncoderVersion);

/// <summary>A neighbour with its cosine similarity (1 = same direction).</summary>
/// <summary>A neighbour of a work: its cosine similarity, and where that falls on the collection's own scale (0..1; null before there is one).</summary>
public sealed record SimilarWork(ArtworkCard Card, double Score, double? Match = null);

public sealed record Facet(string Value, string Label, int Count);

public sealed record GalleryFacets(IReadOnlyList<Facet> Styles, IReadOnlyList<Facet> Artists, IReadOnlyList<Facet> Collections, int? MinYear, int? MaxYear);

public sealed record ArtistDetail(int Id, string Name, int? BirthYear, int? DeathYear, string? Nationality, string? Biography, bool IsGenerated, int WorkCount);

public sealed record CollectionSummary(int Id, string Name, string Slug, string? Description, int WorkCount, bool IsPublished, string? CoverSha256);
