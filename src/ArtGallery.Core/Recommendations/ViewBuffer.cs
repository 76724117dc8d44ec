using System.Threading.Channels;

namespace ArtGallery.Core.Recommendations;

/// <summary>
/// Views are the most frequent signal and nobody waits for them: they go into a bounded in-memory queue
/// that <see cref="EngagementWriter"/> writes in batches. Under overload the oldest views are dropped, never
/// a page's time.
/// </summary>
public sealed class ViewBuffer
{
    private readonly Channel<EngagementEvent> _channel = Channel.CreateBounded<EngagementEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public bool TryEnqueue(EngagementEvent e) => _channel.Writer.TryWrite(e);

    internal ChannelReader<EngagementEvent> Reader => _channel.Reader;

    /// <summary>Writes what is queued now (tests, shutdown); returns how many events it wrote.</summary>
    public async Task<int> DrainAsync(IDbContextFactory<GalleryDbContext> contextFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contextFactory);
        var batch = new List<EngagementEvent>();
        while (batch.Count < 1000 && _channel.Reader.TryRead(out var e))
        {
            batch.Add(e);
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // A view of a work deleted meanwhile would fail the batch on its foreign key: keep the rest.
        var ids = batch.Select(e => e.ArtworkId).OfType<int>().Distinct().ToList();
        var existing = (await db.Artworks.Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        var kept = batch.Where(e => e.ArtworkId is { } id && existing.Contains(id)).ToList();
        db.Engagements.AddRange(kept);
        await db.SaveChangesAsync(cancellationToken);
        return kept.Count;
    }
}
