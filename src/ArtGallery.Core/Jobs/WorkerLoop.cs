using Microsoft.Extensions.Hosting;

namespace ArtGallery.Core.Jobs;

/// <summary>
/// The one loop every background worker runs: a pass (<see cref="RunPassAsync"/>), again at once
/// while passes find work, then a wait (<see cref="WaitAsync"/>: a wake signal, a timer, a queue)
/// until the next. A failed pass is logged and the loop carries on after the wait; stopping the
/// host ends the wait and then <see cref="StoppedAsync"/> runs. <see cref="Loops"/> loops run side
/// by side (a job worker claims with <see cref="JobStore.TryClaimAsync"/>, so they never share a job).
/// </summary>
public abstract partial class WorkerLoop(ILogger logger) : BackgroundService
{
    /// <summary>How many loops run side by side (default one).</summary>
    protected virtual int Loops => 1;

    /// <summary>One pass; true when it did work and the next should follow without waiting.</summary>
    protected abstract Task<bool> RunPassAsync(CancellationToken stoppingToken);

    /// <summary>Waits until the next pass is due.</summary>
    protected abstract Task WaitAsync(CancellationToken stoppingToken);

    /// <summary>Whether the worker has anything to do in this process (checked once at start).</summary>
    protected virtual bool ShouldRun() => true;

    /// <summary>Runs once after the loops end at shutdown (write what is still queued, say).</summary>
    protected virtual Task StoppedAsync() => Task.CompletedTask;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ShouldRun())
        {
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Loops)).Select(_ => LoopAsync(stoppingToken)));
        await StoppedAsync();
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunPassAsync(stoppingToken))
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep the worker alive: the next pass retries what is still to do.
                LogPassFailed(logger, GetType().Name, ex);
            }

            try
            {
                await WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker}: a pass failed; the next one tries again")]
    private static partial void LogPassFailed(ILogger logger, string worker, Exception exception);
}
