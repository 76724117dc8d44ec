namespace ArtGallery.Data.Entities;

/// <summary>What a visitor did; the signals the "For you" feed learns from.</summary>
public enum EngagementKind
{
    /// <summary>Opened a work's page; <see cref="EngagementEvent.DwellMs"/> says for how long.</summary>
    View,

    Like,

    /// <summary>Took a like back.</summary>
    Unlike,

    /// <summary>Saved the work to a personal collection.</summary>
    Save,

    /// <summary>"Not interested": the work never comes back and pulls the feed away from its like.</summary>
    Dismiss,

    /// <summary>Followed the artist in <see cref="EngagementEvent.ArtistId"/>.</summary>
    Follow,

    Unfollow,

    /// <summary>Chose the work as the style to paint with in the studio.</summary>
    StudioStyle,

    /// <summary>Took a "not interested" back (the undo, or the restore on "Your likes").</summary>
    Undismiss,
}

/// <summary>
/// One signal of one visitor, append-only: state (what is liked, who is followed) is the fold of a
/// visitor's events in order. <see cref="VisitorKey"/> is "u:" + account id for a signed-in visitor,
/// "v:" + the first-party cookie's id for an anonymous one; signing in moves the cookie's events to the account.
/// </summary>
public sealed class EngagementEvent
{
    public long Id { get; set; }

    public required string VisitorKey { get; set; }

    public EngagementKind Kind { get; set; }

    /// <summary>The work, for every kind but follows.</summary>
    public int? ArtworkId { get; set; }

    public Artwork? Artwork { get; set; }

    /// <summary>The artist, for follows.</summary>
    public int? ArtistId { get; set; }

    public Artist? Artist { get; set; }

    /// <summary>Time on the work's page, for views.</summary>
    public int? DwellMs { get; set; }

    public DateTimeOffset At { get; set; }
}
