namespace ArtGallery.Engines.Runtime;

/// <summary>
/// An engine over one catalogue model run by one ONNX Runtime session (thread-safe <c>Run</c>): it
/// loads the model, and a companion file such as a vocabulary when it needs one, or records and logs
/// why it cannot, so the app reports the engine unavailable instead of failing at start-up.
/// </summary>
public abstract partial class CatalogModelEngine : IEngine, IDisposable
{
    private readonly string _statusName;

    /// <param name="statusName">The engine's name in <see cref="EngineStatus"/> (/health).</param>
    /// <param name="displayName">How the log names it when it is unavailable.</param>
    /// <param name="modelId">The catalogue id of the ONNX model.</param>
    /// <param name="options">Where models live and which execution provider runs them.</param>
    /// <param name="logger">Logs the provider chosen, or why the engine is unavailable.</param>
    /// <param name="companionId">A catalogue file the engine also needs (its path: <see cref="CompanionPath"/>).</param>
    protected CatalogModelEngine(string statusName, string displayName, string modelId, IOptions<EngineOptions> options, ILogger logger, string? companionId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _statusName = statusName;
        var engineOptions = options.Value;
        var companion = string.Empty;
        var problem = string.Empty;
        if ((companionId is not null && !ModelCatalog.FromOptions(engineOptions).TryResolve(companionId, out companion, out problem))
            || SessionFactory.CreateFromCatalog(modelId, engineOptions, logger, GetType().Name, out problem) is not { } loaded)
        {
            UnavailableReason = problem;
            LogUnavailable(logger, displayName, problem);
            return;
        }

        (Session, Provider) = loaded;
        CompanionPath = companion;
        IsAvailable = true;
    }

    public bool IsAvailable { get; }

    public string? UnavailableReason { get; }

    /// <summary>The execution provider the session runs on, or "none".</summary>
    public string Provider { get; } = "none";

    public EngineStatus Status => new(_statusName, IsAvailable, Provider, UnavailableReason);

    /// <summary>The loaded session; null when the engine is unavailable.</summary>
    protected InferenceSession? Session { get; }

    /// <summary>The companion file's path when one was asked for and the engine loaded; otherwise empty.</summary>
    protected string CompanionPath { get; } = string.Empty;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Session?.Dispose();
        }
    }

    /// <summary>Rejects a request its own <see cref="IEngineRequest.Validate"/> finds wrong, its problems joined in one <see cref="ArgumentException"/>.</summary>
    protected static void ThrowIfInvalid(IEngineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(request));
        }
    }

    /// <summary>The session, or an error that says <paramref name="what"/> is unavailable and why.</summary>
    protected InferenceSession RequireSession(string what) =>
        Session ?? throw new InvalidOperationException($"{what} is unavailable: {UnavailableReason}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Engine} unavailable: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string engine, string problem);
}
