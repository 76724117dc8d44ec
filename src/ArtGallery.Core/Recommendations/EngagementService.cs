using ArtGallery.Core.Gallery;

namespace ArtGallery.Core.Recommendations;

/// <summary>A refused signal (unknown work or artist, no visitor); the message is for the visitor.</summary>
public sealed class EngagementException(string message) : Exception(message);

/// <summary>What one visitor currently thinks of one work and its artist (the buttons' state).</summary>
public sealed record WorkEngagementState(bool Liked, bool Dismissed, bool Saved, bool FollowingArtist);

/// <summary>The visitor's likes, saves, dismissals and follows, newest first (the "Your likes" page).</summary>
public sealed record VisitorHistory(IReadOnlyList<ArtworkCard> Liked, IReadOnlyList<ArtworkCard> Saved, IReadOnlyList<ArtworkCard> Dismissed, IReadOnlyList<ArtistRef> Following);

public sealed record ArtistRef(int Id, string Name);

/// <summary>
/// Records the signals the feed learns from. Explicit actions (like, save, not interested, follow) are
/// one small insert the caller awaits from a click handler; views go through <see cref="ViewBuffer"/>.
/// </summary>
public sealed class EngagementService(IDbContextFactory<GalleryDbContext> contextFactory, ViewBuffer queue, VisitorHistoryCache histories, TimeProvider clock)
{
    /// <summary>A view shorter than this is not recorded (a bounce, or a page passed through).</summary>
    public static readonly TimeSpan MinRecordedDwell = TimeSpan.FromSeconds(1);

    private static readonly EngagementKind[] WorkKinds = [EngagementKind.Like, EngagementKind.Unlike, EngagementKind.Save, EngagementKind.Dismiss, EngagementKind.Undismiss, EngagementKind.StudioStyle];

    public async Task RecordAsync(string visitorKey, EngagementKind kind, int artworkId, CancellationToken cancellationToken = default)
    {
        RequireVisitor(visitorKey);
        if (!WorkKinds.Contains(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Views are recorded with RecordView, follows with FollowAsync.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Artworks.AnyAsync(a => a.Id == artworkId, cancellationToken))
        {
            throw new EngagementException("That work no longer exists.");
        }

        db.Engagements.Add(new EngagementEvent { VisitorKey = visitorKey, Kind = kind, ArtworkId = artworkId, At = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task FollowAsync(string visitorKey, int artistId, bool follow, CancellationToken cancellationToken = default)
    {
        RequireVisitor(visitorKey);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Artists.AnyAsync(a => a.Id == artistId, cancellationToken))
        {
            throw new EngagementException("That artist no longer exists.");
        }

        db.Engagements.Add(new EngagementEvent { VisitorKey = visitorKey, Kind = follow ? EngagementKind.Follow : EngagementKind.Unfollow, ArtistId = artistId, At = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Queues a view with its dwell time; returns at once (false when it was too short to count).</summary>
    public bool RecordView(string visitorKey, int artworkId, TimeSpan dwell)
    {
        RequireVisitor(visitorKey);
        if (dwell < MinRecordedDwell)
        {
            return false;
        }

        var ms = (int)Math.Min(int.MaxValue, dwell.TotalMilliseconds);
        return queue.TryEnqueue(new EngagementEvent { VisitorKey = visitorKey, Kind = EngagementKind.View, ArtworkId = artworkId, DwellMs = ms, At = clock.GetUtcNow() });
    }

    /// <summary>
    /// Moves an anonymous visitor's history to their account at sign-in (the events keep their order and
    /// times), with their studio creations and jobs; returns how many events moved.
    /// </summary>
    public async Task<int> MergeAsync(string anonymousKey, string accountKey, CancellationToken cancellationToken = default)
    {
        RequireVisitor(anonymousKey);
        RequireVisitor(accountKey);
        if (!anonymousKey.StartsWith("v:", StringComparison.Ordinal) || !accountKey.StartsWith("u:", StringComparison.Ordinal))
        {
            throw new ArgumentException("Only an anonymous visitor's history merges into an account.", nameof(anonymousKey));
        }

        await queue.DrainAsync(contextFactory, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var moved = await db.Engagements.Where(e => e.VisitorKey == anonymousKey)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.VisitorKey, accountKey), cancellationToken);

        // The studio's creations and jobs are owned by the same key: they move with the visitor.
        await db.Creations.Where(c => c.OwnerId == anonymousKey).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerId, accountKey), cancellationToken);
        await db.Jobs.Where(j => j.RequestedBy == anonymousKey).ExecuteUpdateAsync(s => s.SetProperty(j => j.RequestedBy, accountKey), cancellationToken);

        // The account's cached history would read only events newer than it has seen; the merged ones are older.
        histories.Forget(accountKey);
        histories.Forget(anonymousKey);
        return moved;
    }

    public async Task<WorkEngagementState> GetStateAsync(string? visitorKey, int artworkId, int? artistId, CancellationToken cancellationToken = default)
    {
        if (visitorKey is null)
        {
            return new WorkEngagementState(false, false, false, false);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.Engagements.AsNoTracking()
            .Where(e => e.VisitorKey == visitorKey && (e.ArtworkId == artworkId || (artistId != null && e.ArtistId == artistId)))
            .OrderBy(e => e.Id).Select(e => new { e.Kind, e.ArtworkId, e.ArtistId }).ToListAsync(cancellationToken);
        var state = VisitorState.Fold(events.Select(e => (e.Kind, e.ArtworkId, e.ArtistId)));
        return new WorkEngagementState(state.Liked.Contains(artworkId), state.Dismissed.Contains(artworkId), state.Saved.Contains(artworkId),
            artistId is { } a && state.Following.Contains(a));
    }

    public async Task<VisitorHistory> GetHistoryAsync(string? visitorKey, CancellationToken cancellationToken = default)
    {
        if (visitorKey is null)
        {
            return new VisitorHistory([], [], [], []);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.Engagements.AsNoTracking().Where(e => e.VisitorKey == visitorKey && e.Kind != EngagementKind.View)
            .OrderBy(e => e.Id).Select(e => new { e.Kind, e.ArtworkId, e.ArtistId }).ToListAsync(cancellationToken);
        var state = VisitorState.Fold(events.Select(e => (e.Kind, e.ArtworkId, e.ArtistId)));
        var ids = state.Liked.Concat(state.Saved).Concat(state.Dismissed).Distinct().ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        var artists = await db.Artists.Where(a => state.Following.Contains(a.Id)).Select(a => new ArtistRef(a.Id, a.Name)).ToListAsync(cancellationToken);
        List<ArtworkCard> Cards(IEnumerable<int> order) => [.. order.Where(cards.ContainsKey).Select(id => cards[id])];
        return new VisitorHistory(Cards(state.Liked), Cards(state.Saved), Cards(state.Dismissed),
            [.. state.Following.Select(id => artists.FirstOrDefault(a => a.Id == id)).OfType<ArtistRef>()]);
    }

    private static void RequireVisitor(string visitorKey)
    {
        if (string.IsNullOrWhiteSpace(visitorKey))
        {
            throw new EngagementException("Your browser did not keep our visitor cookie, so this cannot be remembered. Allow first-party cookies, or sign in.");
        }
    }
}

/// <summary>The current state behind a visitor's events, folded in order; each list newest first.</summary>
public sealed record VisitorState(IReadOnlyList<int> Liked, IReadOnlyList<int> Saved, IReadOnlyList<int> Dismissed, IReadOnlyList<int> Following)
{
    public static VisitorState Fold(IEnumerable<(EngagementKind Kind, int? ArtworkId, int? ArtistId)> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var liked = new List<int>();
        var saved = new List<int>();
        var dismissed = new List<int>();
        var following = new List<int>();
        static void Put(List<int> list, int id)
        {
            list.Remove(id);
            list.Insert(0, id);
        }

        foreach (var (kind, work, artist) in events)
        {
            switch (kind)
            {
                case EngagementKind.Like when work is { } id:
                    Put(liked, id);
                    dismissed.Remove(id);
                    break;
                case EngagementKind.Unlike when work is { } id:
                    liked.Remove(id);
                    break;
                case EngagementKind.Save when work is { } id:
                    Put(saved, id);
                    dismissed.Remove(id);
                    break;
                case EngagementKind.Dismiss when work is { } id:
                    Put(dismissed, id);
                    liked.Remove(id);
                    break;
                case EngagementKind.Undismiss when work is { } id:
                    dismissed.Remove(id);
                    break;
                case EngagementKind.Follow when artist is { } id:
                    Put(following, id);
                    break;
                case EngagementKind.Unfollow when artist is { } id:
                    following.Remove(id);
                    break;
            }
        }

        return new VisitorState(liked, saved, dismissed, following);
    }
}
