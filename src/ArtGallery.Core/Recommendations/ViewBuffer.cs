using System.Threading.Channels;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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

/// <summary>Writes queued views every second or so, and what is left at shutdown.</summary>
public sealed partial class EngagementWriter(ViewBuffer queue, IDbContextFactory<GalleryDbContext> contextFactory, ILogger<EngagementWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await WriteAsync(CancellationToken.None);
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await queue.DrainAsync(contextFactory, cancellationToken) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            LogWriteFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write queued views; they are dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}
