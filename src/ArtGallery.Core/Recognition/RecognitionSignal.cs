namespace ArtGallery.Core.Recognition;

/// <summary>
/// Wakes the recognition worker when curators change style tags (review decisions, tagging), so the
/// model retrains and its suggestions refresh within seconds instead of at the next poll.
/// </summary>
public sealed class RecognitionSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one retrain covers any number of decisions.
        }
    }

    public void Dispose() => _semaphore.Dispose();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
