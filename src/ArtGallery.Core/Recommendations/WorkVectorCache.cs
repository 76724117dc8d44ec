using System.Collections.Concurrent;

namespace ArtGallery.Core.Recommendations;

/// <summary>
/// The style and content vectors of recently proposed candidates, kept in process memory so the feed's candidate
/// queries return ids rather than 6 KB of vectors per work (half of their time at 100,000 works). An entry is
/// valid for the embedding it was read from: the candidate queries return the embedding's <c>CreatedAt</c>,
/// which every re-embedding moves, and a different stamp is a miss. Bounded by
/// <see cref="RecommendationOptions.CachedWorkVectors"/> (about 6 KB each); past it, a tenth of the entries
/// (whichever the dictionary yields first) make room. Thread-safe.
/// </summary>
public sealed class WorkVectorCache(IOptions<RecommendationOptions> options)
{
    private readonly ConcurrentDictionary<int, Entry> _entries = new();
    private readonly int _capacity = Math.Max(0, options.Value.CachedWorkVectors);
    private int _evicting;

    /// <summary>Unit-length vectors of one embedding, never written to after they are cached.</summary>
    public sealed record Entry(DateTime EmbeddedAt, float[] Style, float[] Content);

    public int Count => _entries.Count;

    /// <summary>The vectors of <paramref name="artworkId"/>'s embedding made at <paramref name="embeddedAt"/>, if cached.</summary>
    public bool TryGet(int artworkId, DateTime embeddedAt, out Entry? entry)
    {
        if (_entries.TryGetValue(artworkId, out var found) && found.EmbeddedAt == embeddedAt)
        {
            entry = found;
            return true;
        }

        entry = null;
        return false;
    }

    public void Set(int artworkId, Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_capacity == 0)
        {
            return;
        }

        _entries[artworkId] = entry;
        if (_entries.Count > _capacity)
        {
            Evict(keep: artworkId);
        }
    }

    /// <summary>Down to nine tenths of the capacity, sparing the entry just written; one thread at a time.</summary>
    private void Evict(int keep)
    {
        var target = _capacity - (_capacity / 10);
        while (_entries.Count > _capacity)
        {
            if (Interlocked.Exchange(ref _evicting, 1) == 1)
            {
                return; // another thread is making room, and checks again before it stops
            }

            try
            {
                // Count takes every lock of the dictionary: read it once per pass, not once per removal.
                var excess = _entries.Count - target;
                foreach (var key in _entries.Keys)
                {
                    if (excess <= 0)
                    {
                        break;
                    }

                    if (key != keep && _entries.TryRemove(key, out _))
                    {
                        excess--;
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _evicting, 0);
            }
        }
    }
}
