using Pgvector;

namespace ArtGallery.Data.Entities;

/// <summary>
/// Something a visitor made in the studio (a style transfer, a GAN sample, …): a PNG in the image
/// store, the parameters that made it, and the same two embeddings as a work, so the gallery works
/// it resembles can be found. Kept apart from <see cref="Artwork"/> so the gallery's own browse and
/// similar lists never show visitors' creations (decision 0008).
/// </summary>
public sealed class Creation
{
    public const int OwnerMaxLength = 100;

    public long Id { get; set; }

    /// <summary>The visitor key: "u:" + account id when signed in, "v:" + the anonymous visitor cookie (as the feed's events).</summary>
    public required string OwnerId { get; set; }

    /// <summary>What made it: "style-transfer", "gan", …</summary>
    public required string Kind { get; set; }

    public required string Title { get; set; }

    /// <summary>Kind-specific parameters, JSON (jsonb).</summary>
    public string? ParametersJson { get; set; }

    /// <summary>SHA-256 of the PNG in the image store.</summary>
    public required string ImageSha256 { get; set; }

    public int PixelWidth { get; set; }

    public int PixelHeight { get; set; }

    public long FileBytes { get; set; }

    /// <summary>The gallery work it started from (the style of a transfer), when there is one.</summary>
    public int? SourceArtworkId { get; set; }

    public Artwork? SourceArtwork { get; set; }

    /// <summary>StyleEncoder.Version of <see cref="Style"/> and <see cref="Content"/>; null when not embedded.</summary>
    public string? EncoderVersion { get; set; }

    public Vector? Style { get; set; }

    public Vector? Content { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
