namespace ArtGallery.Core.Jobs;

/// <summary>
/// A worker that deletes what has expired, on an interval: each pass is one <see cref="SweepAsync"/>,
/// logged when it deleted anything; an item it could not delete is reported with
/// <see cref="DeleteFailed"/> and tried again next pass.
/// </summary>
public abstract partial class SweeperLoop : WorkerLoop
{
    private readonly ILogger _logger;
    private readonly string _what;
    private readonly TimeSpan _interval;

    /// <param name="what">What a pass deletes, for the log ("unused studio uploads past their lifetime").</param>
    /// <param name="interval">How long between passes.</param>
    protected SweeperLoop(TimeProvider clock, ILogger logger, string what, TimeSpan interval)
        : base(logger)
    {
        Clock = clock;
        _logger = logger;
        _what = what;
        _interval = interval;
    }

    /// <summary>The clock expiry is measured by.</summary>
    protected TimeProvider Clock { get; }

    /// <summary>Deletes what has expired; returns how many items.</summary>
    public abstract Task<int> SweepAsync(CancellationToken cancellationToken = default);

    protected sealed override async Task<bool> RunPassAsync(CancellationToken stoppingToken)
    {
        if (await SweepAsync(stoppingToken) is > 0 and var deleted)
        {
            LogSwept(_logger, deleted, _what);
        }

        return false;
    }

    protected sealed override Task WaitAsync(CancellationToken stoppingToken) => Task.Delay(_interval, Clock, stoppingToken);

    /// <summary>Logs an expired item that could not be deleted (it is tried again next pass).</summary>
    protected void DeleteFailed(string item, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        LogDeleteFailed(_logger, item, exception.Message);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} {What}")]
    private static partial void LogSwept(ILogger logger, int count, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the expired {Item}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string item, string reason);
}
