namespace ArtGallery.Data.Entities;

/// <summary>What happened to a tag on a work.</summary>
public enum TagAuditAction
{
    /// <summary>A curator put the tag on the work.</summary>
    Added,

    /// <summary>A curator took the tag off the work.</summary>
    Removed,

    /// <summary>A curator accepted a model's suggestion.</summary>
    Accepted,

    /// <summary>A curator rejected a model's suggestion; the model never suggests it for that work again.</summary>
    Rejected,
}

/// <summary>
/// One change to the tags of a work: who, what, when, and whether the tag came from a curator or a
/// model. Written in the same transaction as the change itself, so the trail cannot miss one.
/// </summary>
public sealed class TagAudit
{
    public long Id { get; set; }

    public int ArtworkId { get; set; }

    public Artwork? Artwork { get; set; }

    public int TagId { get; set; }

    public Tag? Tag { get; set; }

    public TagAuditAction Action { get; set; }

    /// <summary>Where the tag came from: a curator's own tag or a model's suggestion.</summary>
    public TagSource Source { get; set; }

    /// <summary>The model's confidence for suggestions; 1 for curator tags.</summary>
    public float Confidence { get; set; }

    /// <summary>The account id of the curator who made the change.</summary>
    public string? ActorId { get; set; }

    /// <summary>The account's name at the time (kept even if the account is later deleted).</summary>
    public required string ActorName { get; set; }

    public DateTimeOffset At { get; set; }
}
