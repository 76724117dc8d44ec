using Pgvector;

namespace ArtGallery.Data.Entities;

/// <summary>The current CNN embeddings of one work, with the encoder version that made them.</summary>
public sealed class ArtworkEmbedding : ArtworkExtension
{
    public const int StyleDimensions = 1024;
    public const int ContentDimensions = 512;

    /// <summary>StyleEncoder.Version at the time of embedding; a different version means stale.</summary>
    public required string EncoderVersion { get; set; }

    /// <summary>What the work looks like: palette, brushwork, texture (L2-normalised).</summary>
    public required Vector Style { get; set; }

    /// <summary>What the work shows: pooled deep features (L2-normalised).</summary>
    public required Vector Content { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
