using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace ArtGallery.Core.Accounts;

/// <summary>
/// Slows password guessing without handing a guesser a way to keep the owner out. Identity's own
/// lockout counts failures per account, so five wrong guesses from anyone locked the owner out.
/// Here the count is per address typed *and* client: after <see cref="AccountsOptions.MaxFailedSignIns"/>
/// failures that client must wait before trying that address again, twice as long after each further
/// failure, up to <see cref="AccountsOptions.LockoutMinutes"/>. Across clients, failures at one address
/// draw on a per-address budget (a <see cref="PartitionedRateLimiter"/>); once it is spent, only clients
/// that have already failed there are refused: the owner, from a client with no failures, still signs in.
/// Keys are the address as typed, so an unknown address is throttled exactly like a real one.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    /// <summary>The first wait once the free failures are used; it doubles with each further failure.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);

    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<(string Address, string Client), Failures> _failures = new();
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly TimeProvider _time;
    private readonly int _freeFailures;
    private readonly TimeSpan _longestDelay;

    public SignInThrottle(IOptions<AccountsOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var accounts = options.Value;
        _time = time;
        _freeFailures = Math.Max(1, accounts.MaxFailedSignIns);
        _longestDelay = TimeSpan.FromMinutes(Math.Max(1, accounts.LockoutMinutes));
        var perHour = Math.Max(1, accounts.FailedSignInsPerAccountPerHour);
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perHour,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));
    }

    /// <summary>How long <paramref name="client"/> must wait before trying <paramref name="address"/> again; zero when it may try now.</summary>
    public TimeSpan RetryAfter(string address, string client)
    {
        if (!_failures.TryGetValue((Normalise(address), client), out var failures))
        {
            return TimeSpan.Zero;
        }

        var now = _time.GetUtcNow();
        var wait = failures.Count >= _freeFailures ? failures.Last + Delay(failures.Count) - now : TimeSpan.Zero;
        if (wait <= TimeSpan.Zero && failures.Count > 0 && _perAddress.GetStatistics(Normalise(address)) is { CurrentAvailablePermits: <= 0 })
        {
            // The address's budget is spent: clients that have guessed wrong there wait for the hour to turn.
            wait = FirstDelay;
        }

        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    public void Failed(string address, string client)
    {
        var key = Normalise(address);
        using (_perAddress.AttemptAcquire(key))
        {
            // Drawn from the address's budget; RetryAfter reads what is left.
        }

        var now = _time.GetUtcNow();
        _failures.AddOrUpdate((key, client), _ => new Failures(1, now), (_, f) => new Failures(f.Count + 1, now));
        if (_failures.Count > MaxTracked)
        {
            Prune(now);
        }
    }

    /// <summary>A right password from this client forgets its failures there.</summary>
    public void Succeeded(string address, string client) => _failures.TryRemove((Normalise(address), client), out _);

    public void Dispose() => _perAddress.Dispose();

    /// <summary>30 s after the free failures, doubling, never above the longest delay.</summary>
    private TimeSpan Delay(int failures)
    {
        var doublings = Math.Min(failures - _freeFailures, 20);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay < _longestDelay ? delay : _longestDelay;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, failures) in _failures)
        {
            if (now - failures.Last > _longestDelay)
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private static string Normalise(string address) => address.Trim().ToUpperInvariant();

    private sealed record Failures(int Count, DateTimeOffset Last);
}
