namespace ArtGallery.Data.Entities;

/// <summary>The controlled vocabularies a tag belongs to; Free is for anything else.</summary>
public enum TagVocabulary
{
    Style,
    Genre,
    Subject,
    Mood,
    Medium,
    Free,
}

/// <summary>Who put a tag on a work.</summary>
public enum TagSource
{
    Curator,
    Model,
}

public enum TagStatus
{
    /// <summary>A model's proposal waiting for a curator.</summary>
    Suggested,
    Accepted,
    Rejected,
}

public sealed class Tag
{
    public const int NameMaxLength = 200;

    public int Id { get; set; }

    public TagVocabulary Vocabulary { get; set; }

    public required string Name { get; set; }

    public required string Slug { get; set; }

    /// <summary>Broader term (movement → sub-movement).</summary>
    public int? ParentId { get; set; }

    public Tag? Parent { get; set; }

    public List<ArtworkTag> Artworks { get; set; } = [];
}

/// <summary>A tag on a work with its provenance: a curator's decision or a model's suggestion.</summary>
public sealed class ArtworkTag
{
    public int ArtworkId { get; set; }

    public Artwork? Artwork { get; set; }

    public int TagId { get; set; }

    public Tag? Tag { get; set; }

    public TagSource Source { get; set; }

    public TagStatus Status { get; set; }

    /// <summary>Model confidence in 0–1; 1 for curator tags.</summary>
    public float Confidence { get; set; }

    /// <summary>Account or model version that made the tag.</summary>
    public string? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
