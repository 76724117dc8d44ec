using Microsoft.AspNetCore.Components.Server;

namespace ArtGallery.Web.Features.Accounts;

/// <summary>
/// A circuit's identity, re-read from the database every few seconds (the pattern of ASP.NET Core's
/// <c>RevalidatingServerAuthenticationStateProvider</c>, which can only end a sign-in): roles granted
/// or revoked since the tab opened replace the old ones, and an account signed out elsewhere (new
/// security stamp) or deleted becomes anonymous. <c>[Authorize]</c> pages, <c>AuthorizeView</c> and
/// every component reading the cascading state see the change without a reload.
/// </summary>
public sealed partial class RevalidatingAuthenticationStateProvider : ServerAuthenticationStateProvider, IDisposable
{
    /// <summary>How often an open circuit re-reads its account.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private readonly CallerVerifier _callers;
    private readonly TimeProvider _time;
    private readonly ILogger<RevalidatingAuthenticationStateProvider> _logger;
    private readonly CancellationTokenSource _stop = new();
    private int _started;

    public RevalidatingAuthenticationStateProvider(CallerVerifier callers, TimeProvider time, ILogger<RevalidatingAuthenticationStateProvider> logger)
    {
        _callers = callers;
        _time = time;
        _logger = logger;
        AuthenticationStateChanged += StartOnFirstState;
    }

    public void Dispose()
    {
        AuthenticationStateChanged -= StartOnFirstState;
        _stop.Cancel();
        _stop.Dispose();
    }

    private void StartOnFirstState(Task<AuthenticationState> state)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = RevalidateLoopAsync(_stop.Token);
        }
    }

    private async Task RevalidateLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await RevalidateOnceAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The circuit (or the prerendering request) ended.
        }
    }

    private async Task RevalidateOnceAsync(CancellationToken stop)
    {
        try
        {
            var user = (await GetAuthenticationStateAsync()).User;
            if (user.Identity?.IsAuthenticated != true)
            {
                return;
            }

            var current = await _callers.CurrentAsync(user, stop);
            if (!ReferenceEquals(current, user))
            {
                LogChanged(_logger, user.Identity.Name, current.Identity?.IsAuthenticated == true);
                SetAuthenticationState(Task.FromResult(new AuthenticationState(current)));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may be away for a moment: keep the state, and the service calls (which
            // check again) refuse what they must. Next tick tries again.
            LogFailed(_logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit identity of {User} changed since sign-in (still signed in: {SignedIn})")]
    private static partial void LogChanged(ILogger logger, string? user, bool signedIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revalidate a circuit's identity: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
