using NpgsqlTypes;

namespace ArtGallery.Data.Entities;

public sealed class Artwork
{
    // The text columns an import fills; it checks every row against them before writing (Core's MetadataRules).
    public const int TitleMaxLength = 500;
    public const int MediumMaxLength = 300;
    public const int DimensionsMaxLength = 200;
    public const int CreditMaxLength = 1000;
    public const int LicenceMaxLength = 300;
    public const int SourceMaxLength = 2000;

    public int Id { get; set; }

    public required string Title { get; set; }

    public int? ArtistId { get; set; }

    public Artist? Artist { get; set; }

    /// <summary>Year made (or begun); null when unknown.</summary>
    public int? Year { get; set; }

    public string? Medium { get; set; }

    /// <summary>Physical size as catalogued, e.g. "73 × 92 cm".</summary>
    public string? Dimensions { get; set; }

    public string? Description { get; set; }

    /// <summary>Credit line and licence of the image, shown with it.</summary>
    public string? Credit { get; set; }

    public string? Licence { get; set; }

    /// <summary>Where the record came from: a file path, a URL, or "demo:SEED/INDEX".</summary>
    public string? Source { get; set; }

    /// <summary>SHA-256 of the original file, hex: the identity of the image and its storage key.</summary>
    public required string ImageSha256 { get; set; }

    /// <summary>Format of the original as detected from its content ("PNG", "JPEG", …).</summary>
    public required string ImageFormat { get; set; }

    public int PixelWidth { get; set; }

    public int PixelHeight { get; set; }

    public long FileBytes { get; set; }

    /// <summary>Dominant colours of the image, as "#rrggbb", most dominant first.</summary>
    public List<string> Palette { get; set; } = [];

    public bool IsGenerated { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Generated full-text vector over title, description and medium.</summary>
    public NpgsqlTsVector SearchVector { get; set; } = null!;

    public List<ArtworkTag> Tags { get; set; } = [];

    public ArtworkEmbedding? Embedding { get; set; }

    public List<CollectionItem> CollectionItems { get; set; } = [];
}
