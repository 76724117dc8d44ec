namespace ArtGallery.Data.Entities;

/// <summary>
/// A poem a visitor kept from the literature studio: its text, the keywords that steered it, the
/// settings that wrote it and the gallery work it answers (if any). Text, not an image, so it lives
/// beside <see cref="Creation"/> rather than in it.
/// </summary>
public sealed class PoemCreation
{
    public const int TitleMaxLength = 300;
    public const int TextMaxLength = 8000;

    public long Id { get; set; }

    /// <summary>The visitor key, as <see cref="Creation.OwnerId"/>.</summary>
    public required string OwnerId { get; set; }

    public required string Title { get; set; }

    public required string Text { get; set; }

    /// <summary>The keywords the model read, space-separated.</summary>
    public required string Keywords { get; set; }

    /// <summary>Form, lines, temperature, top-k, top-p and seed, JSON (jsonb).</summary>
    public string? ParametersJson { get; set; }

    public int? SourceArtworkId { get; set; }

    public Artwork? SourceArtwork { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
