using NpgsqlTypes;
using Pgvector;

namespace ArtGallery.Data.Entities;

/// <summary>
/// What search by words reads of one work: the text it was built from (title, artist, date,
/// description, accepted and model tags, palette colour names), that text's sentence embedding
/// and a full-text vector over the same text.
/// </summary>
public sealed class ArtworkText : ArtworkExtension
{
    public const int Dimensions = 384;

    /// <summary>TextEncoder.Version at the time of embedding; a different version means stale.</summary>
    public required string EncoderVersion { get; set; }

    /// <summary>The text that was embedded; when a work's current text differs, the worker re-embeds it.</summary>
    public required string Text { get; set; }

    /// <summary>all-MiniLM-L6-v2 embedding of <see cref="Text"/> (L2-normalised).</summary>
    public required Vector Embedding { get; set; }

    /// <summary>Generated English full-text vector over <see cref="Text"/>.</summary>
    public NpgsqlTsVector SearchVector { get; set; } = null!;

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One work's palette as a soft CIELAB colour histogram pgvector can index.</summary>
public sealed class ArtworkPalette : ArtworkExtension
{
    public const int Dimensions = 245;

    /// <summary>PaletteHistogram.Version when computed; a different version means stale.</summary>
    public required string Version { get; set; }

    /// <summary>Kernel-smoothed Lab histogram of the work's dominant colours (L2-normalised).</summary>
    public required Vector Histogram { get; set; }
}
