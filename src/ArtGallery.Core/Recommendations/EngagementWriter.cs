using ArtGallery.Core.Jobs;

namespace ArtGallery.Core.Recommendations;

/// <summary>Writes queued views every second or so, and what is left at shutdown.</summary>
public sealed partial class EngagementWriter(ViewBuffer queue, IDbContextFactory<GalleryDbContext> contextFactory, ILogger<EngagementWriter> logger) : WorkerLoop(logger)
{
    protected override async Task<bool> RunPassAsync(CancellationToken stoppingToken)
    {
        await WriteAsync(stoppingToken);
        return false;
    }

    /// <summary>A second between batches, then until a view is queued.</summary>
    protected override async Task WaitAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        await queue.Reader.WaitToReadAsync(stoppingToken);
    }

    protected override Task StoppedAsync() => WriteAsync(CancellationToken.None);

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
