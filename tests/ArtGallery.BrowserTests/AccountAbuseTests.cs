using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ArtGallery.Testing;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>
/// Finding 5 of issue 16, against the running app over HTTP: which addresses have accounts must not
/// show in messages or timing, one client cannot guess at speed, and guessing at an account never
/// keeps its owner out. Each test is its own client (or clients) by loopback source address.
/// </summary>
public sealed partial class AccountAbuseTests(AccountAbuseGalleryServer server, ITestOutputHelper output) : IClassFixture<AccountAbuseGalleryServer>
{
    /// <summary>The app's default per-client limit on account posts per minute (AccountsOptions).</summary>
    private const int PerClientPerMinute = 20;

    [Fact]
    public async Task HundredSignInAttemptsFromOneClient_AreAnswered429AfterTheLimit()
    {
        using var client = new AccountClient(server.BaseAddress, "127.0.0.11");
        var statuses = new List<HttpStatusCode>();
        var watch = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // A different address each time: the per-client limit, not the per-address slowing, is what must stop them.
            using var response = await client.SignInAsync($"guess-{attempt}@example.test", "Wrong-password-1");
            statuses.Add(response.StatusCode);
        }

        var throttled = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        var first = statuses.IndexOf(HttpStatusCode.TooManyRequests) + 1;
        output.WriteLine($"sign-in attempts=100 from one client: answered={100 - throttled} throttled_429={throttled} first_429_at={first} in {watch.ElapsedMilliseconds} ms");
        Assert.InRange(first, 1, PerClientPerMinute + 1);

        // The window is a minute: a slow run may cross into a second one, which lets another batch through.
        Assert.True(throttled >= 100 - (2 * PerClientPerMinute), $"only {throttled} of 100 attempts were refused");
    }

    [Fact]
    public async Task FailedSignIns_AtARealAndAnUnknownAddress_GetTheSameMessages_AndTheOwnerStillSignsInFromElsewhere()
    {
        using var attacker = new AccountClient(server.BaseAddress, "127.0.0.12");
        var real = new List<string>();
        var unknown = new List<string>();
        for (var attempt = 0; attempt < 7; attempt++)
        {
            using (var response = await attacker.SignInAsync(AccountAbuseGalleryServer.OwnerEmail, $"Wrong-password-{attempt}"))
            {
                real.Add(Seconds().Replace(AccountClient.Answer(response), "N"));
            }

            using (var response = await attacker.SignInAsync("nobody-here@example.test", $"Wrong-password-{attempt}"))
            {
                unknown.Add(Seconds().Replace(AccountClient.Answer(response), "N"));
            }
        }

        output.WriteLine("real account:    " + string.Join(" | ", real));
        output.WriteLine("unknown address: " + string.Join(" | ", unknown));
        Assert.Equal(unknown, real);
        Assert.DoesNotContain(real, m => m.Contains("locked", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(real, m => m.Contains("Too many failed sign-ins", StringComparison.Ordinal));

        // The guesser is slowed even with the right password...
        using (var guessed = await attacker.SignInAsync(AccountAbuseGalleryServer.OwnerEmail, TestAccounts.Password))
        {
            Assert.Contains("Too many failed sign-ins", AccountClient.Answer(guessed), StringComparison.Ordinal);
        }

        // ...while the owner, from a client of their own, signs in at once.
        using var owner = new AccountClient(server.BaseAddress, "127.0.0.13");
        using var signedIn = await owner.SignInAsync(AccountAbuseGalleryServer.OwnerEmail, TestAccounts.Password);
        Assert.Equal("redirect /", AccountClient.Answer(signedIn));
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ArtGallery.Auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Register_ATakenAndAFreeAddress_GetTheSameAnswer()
    {
        using var client = new AccountClient(server.BaseAddress, "127.0.0.14");
        using var taken = await client.RegisterAsync(AccountAbuseGalleryServer.OwnerEmail, "Another-password-2");
        using var free = await client.RegisterAsync($"new-{Guid.NewGuid():N}@example.test", "Another-password-2");
        output.WriteLine($"taken: {AccountClient.Answer(taken)}\nfree:  {AccountClient.Answer(free)}");
        Assert.Equal(AccountClient.Answer(free), AccountClient.Answer(taken));
        Assert.Equal(free.Headers.Location?.OriginalString, taken.Headers.Location?.OriginalString);
        Assert.False(taken.Headers.Contains("Set-Cookie") && taken.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("ArtGallery.Auth=", StringComparison.Ordinal)));
        Assert.False(free.Headers.Contains("Set-Cookie") && free.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("ArtGallery.Auth=", StringComparison.Ordinal)));

        // A weak password is refused alike, whoever holds the address.
        using var weakTaken = await client.RegisterAsync(AccountAbuseGalleryServer.OwnerEmail, "short");
        using var weakFree = await client.RegisterAsync($"new-{Guid.NewGuid():N}@example.test", "short");
        Assert.Equal(AccountClient.Answer(weakFree), AccountClient.Answer(weakTaken));
    }

    [Fact]
    public async Task FailedSignIn_TakesAboutAsLongForARealAccountAsForAnUnknownAddress()
    {
        const int Rounds = 12;
        var real = new List<double>();
        var unknown = new List<double>();
        var post = new Stopwatch();
        for (var round = -2; round < Rounds; round++)
        {
            // Each round its own client, measured side by side in alternating order, so neither the
            // per-client limit nor the slowing of repeated failures is what gets timed; two rounds warm up.
            using var client = new AccountClient(server.BaseAddress, $"127.0.1.{round + 3}");
            var realEmail = AccountAbuseGalleryServer.TimingEmails[(round + 3) % AccountAbuseGalleryServer.TimingEmails.Length];
            var unknownEmail = $"no-account-{round + 3}@example.test";
            foreach (var isReal in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                using var response = await client.SignInAsync(isReal ? realEmail : unknownEmail, "Wrong-password-1", post);
                Assert.Equal(Answer.NoMatch, AccountClient.Answer(response));
                if (round >= 0)
                {
                    (isReal ? real : unknown).Add(post.Elapsed.TotalMilliseconds);
                }
            }
        }

        var realMedian = Median(real);
        var unknownMedian = Median(unknown);
        var ratio = Math.Max(realMedian, unknownMedian) / Math.Max(0.1, Math.Min(realMedian, unknownMedian));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sign-in timing: rounds={Rounds} real_median_ms={realMedian:0.0} unknown_median_ms={unknownMedian:0.0} ratio={ratio:0.00} (real: {string.Join(' ', real.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))}; unknown: {string.Join(' ', unknown.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))})"));

        // Before, 67 ms against 3 ms (ratio 22). Both now hash a password; 2.5 leaves room for a loaded, shared 2-core machine.
        Assert.True(ratio < 2.5, $"real {realMedian:0.0} ms against unknown {unknownMedian:0.0} ms");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Seconds();

    private static class Answer
    {
        public const string NoMatch = "That email and password do not match an account.";
    }
}
