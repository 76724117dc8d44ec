namespace ArtGallery.Data.Entities;

/// <summary>
/// A row that extends one work one-to-one (its CNN embeddings, its words-search text, its palette):
/// keyed by the work's id and deleted with it. Not an entity of its own: no table, no discriminator.
/// </summary>
public abstract class ArtworkExtension
{
    public int ArtworkId { get; set; }

    public Artwork? Artwork { get; set; }
}
