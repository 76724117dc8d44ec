namespace ArtGallery.Data.Entities;

public sealed class Collection
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required string Slug { get; set; }

    public string? Description { get; set; }

    /// <summary>Only published collections are shown to visitors.</summary>
    public bool IsPublished { get; set; }

    public int? CoverArtworkId { get; set; }

    public Artwork? CoverArtwork { get; set; }

    /// <summary>The account that owns a personal collection (saves); null for curated ones.</summary>
    public string? OwnerId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<CollectionItem> Items { get; set; } = [];
}

public sealed class CollectionItem
{
    public int CollectionId { get; set; }

    public Collection? Collection { get; set; }

    public int ArtworkId { get; set; }

    public Artwork? Artwork { get; set; }

    /// <summary>Order within the collection, ascending.</summary>
    public int Position { get; set; }
}
