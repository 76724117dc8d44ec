using System.Collections.Concurrent;

namespace ArtGallery.Core.Recommendations;

/// <summary>
/// A visitor's events as the feed reads them: every event (for what is seen, liked, followed) and the
/// vectors of the newest works that shape the taste profile.
/// </summary>
public sealed record VisitorEvents(
    long LastEventId,
    IReadOnlyList<(EngagementKind Kind, int? ArtworkId, int? ArtistId)> Raw,
    IReadOnlyList<Engagement> Events,
    IReadOnlyDictionary<int, WorkVectors> Works);

/// <summary>
/// Keeps recent visitors' histories in memory so a feed reads only the events since the last one
/// (usually none) instead of a visitor's whole history and its vectors. Bounded: the least recently
/// used visitors are dropped first.
/// </summary>
public sealed class VisitorHistoryCache(IOptions<RecommendationOptions> options)
{
    /// <summary>
    /// The profile reads the vectors of at most this many works (the newest signals): after a few hundred
    /// likes the older ones weigh little (21-day half-life), and memory per visitor stays about 1 MB.
    /// </summary>
    public const int MaxProfileWorks = 200;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _clock;

    public static VisitorEvents Empty { get; } = new(0, [], [], new Dictionary<int, WorkVectors>());

    private sealed class Entry(VisitorEvents value)
    {
        public VisitorEvents Value { get; } = value;

        public long LastUsed { get; set; }
    }

    private sealed record Row(long Id, EngagementKind Kind, int? ArtworkId, int? ArtistId, int? DwellMs, DateTimeOffset At);

    public int Count => _entries.Count;

    public async Task<VisitorEvents> GetAsync(GalleryDbContext db, string visitorKey, int maxEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        _entries.TryGetValue(visitorKey, out var cached);
        var after = cached?.Value.LastEventId ?? 0;
        var fresh = await db.Engagements.AsNoTracking().Where(e => e.VisitorKey == visitorKey && e.Id > after)
            .OrderByDescending(e => e.Id).Take(maxEvents)
            .Select(e => new Row(e.Id, e.Kind, e.ArtworkId, e.ArtistId, e.DwellMs, e.At)).ToListAsync(cancellationToken);
        if (cached is not null && fresh.Count == 0)
        {
            cached.LastUsed = Interlocked.Increment(ref _clock);
            return cached.Value;
        }

        fresh.Reverse();
        var old = cached?.Value;
        var raw = (old?.Raw ?? []).Concat(fresh.Select(r => (r.Kind, r.ArtworkId, r.ArtistId))).TakeLast(maxEvents).ToList();
        var events = (old?.Events ?? []).Concat(fresh.Where(r => r.ArtworkId is not null && r.Kind is not (EngagementKind.Follow or EngagementKind.Unfollow))
            .Select(r => new Engagement(r.ArtworkId!.Value, r.Kind, r.At, r.DwellMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null))).TakeLast(maxEvents).ToList();

        // The newest works with a signal that moves the profile (views count only with dwell, which the profile checks).
        var shaping = new List<int>();
        var set = new HashSet<int>();
        for (var i = events.Count - 1; i >= 0 && shaping.Count < MaxProfileWorks; i--)
        {
            if (set.Add(events[i].ArtworkId))
            {
                shaping.Add(events[i].ArtworkId);
            }
        }

        var works = new Dictionary<int, WorkVectors>();
        var missing = new List<int>();
        foreach (var id in shaping)
        {
            if (old?.Works.TryGetValue(id, out var w) == true)
            {
                works[id] = w;
            }
            else
            {
                missing.Add(id);
            }
        }

        foreach (var w in await RecommendationCatalogue.LoadAsync(db, missing, cancellationToken))
        {
            works[w.ArtworkId] = w;
        }

        // Events on works outside the profile's window still mark them seen (TasteProfile skips works without vectors).
        var value = new VisitorEvents(fresh.Count > 0 ? fresh[^1].Id : after, raw, events, works);
        _entries[visitorKey] = new Entry(value) { LastUsed = Interlocked.Increment(ref _clock) };
        Trim();
        return value;
    }

    /// <summary>Drops a visitor's cached history (its events changed owner, e.g. merged at sign-in).</summary>
    public void Forget(string visitorKey) => _entries.TryRemove(visitorKey, out _);

    private void Trim()
    {
        var capacity = Math.Max(1, options.Value.CachedVisitors);
        if (_entries.Count <= capacity)
        {
            return;
        }

        foreach (var stale in _entries.OrderBy(e => e.Value.LastUsed).Take(_entries.Count - capacity + (capacity / 10)).ToList())
        {
            _entries.TryRemove(stale.Key, out _);
        }
    }
}
