using Pgvector;

namespace ArtGallery.Data.Entities;

/// <summary>The current CNN embeddings of one work, with the encoder version that made them.</summary>
public sealed class ArtworkEmbedding : ArtworkExtension
{
    public const int StyleDimensions = 1024;
    public const int ContentDimensions = 512;
    public const int WholeViewDimensions = StyleDimensions + ContentDimensions;

    /// <summary>StyleEncoder.Version at the time of embedding; a different version means stale.</summary>
    public required string EncoderVersion { get; set; }

    /// <summary>What the work looks like: palette, brushwork, texture (L2-normalised).</summary>
    public required Vector Style { get; set; }

    /// <summary>What the work shows: pooled deep features (L2-normalised).</summary>
    public required Vector Content { get; set; }

    /// <summary>
    /// The recogniser's second view: style then content embedding of the whole work at 448 px
    /// (StyleEncoder.EncodeWhole), <see cref="WholeViewDimensions"/> long. Search never reads it: a
    /// visitor's photo matches works on the 224 crop. Null until the embedding worker has filled it.
    /// </summary>
    public Vector? WholeView { get; set; }

    /// <summary>StyleEncoder.WholeVersion of <see cref="WholeView"/>; null or different means the worker fills it again.</summary>
    public string? WholeVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
