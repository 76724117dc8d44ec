using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>
/// Issue 16's fault test: the app's PostgreSQL (a cluster of this test's own) stopped with
/// <c>pg_ctl stop -m fast</c> for 20 s under a bounded page loop, with two Blazor circuits open. Pages answer
/// 503 in the app's own words (never an empty 500), /health says 503, an action in an open tab shows the
/// same message instead of ending the circuit, and after <c>pg_ctl start</c> every page, and both open
/// tabs (same circuit, no reload), work again within 5 s.
/// </summary>
public sealed partial class DatabaseOutageTests(OutageGalleryServer server, ITestOutputHelper output)
    : BrowserTest<OutageGalleryServer>(server, output), IClassFixture<OutageGalleryServer>
{
    private const string OutageWords = "database is not answering";
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PostgresStoppedFor20s_PagesAndOpenTabsShowTheOutageMessage_HealthIs503_AndAllWorksWithin5sOfItsStart()
    {
        var logMark = Server.LogLineCount;
        try
        {
            await RunOutageAsync(logMark);
        }
        finally
        {
            // The app's distinct failures during the test, one line each (the full log is thousands of lines of stack traces).
            var lines = Server.LogSince(logMark, int.MaxValue).Split('\n');
            var failures = lines.Select((line, i) => (line, i)).Where(x => (x.line.Contains(" fail: ", StringComparison.Ordinal) || x.line.Contains("ErrorBoundary", StringComparison.Ordinal)) && x.i + 2 < lines.Length)
                .Select(x => $"{x.line[13..]} | {lines[x.i + 1][13..].Trim()} | {lines[x.i + 2][13..].Trim()}").GroupBy(f => f).Select(g => $"  {g.Count()}x {g.Key}");
            Output.WriteLine("app failures during the test:\n" + string.Join('\n', failures));
        }
    }

    private async Task RunOutageAsync(int logMark)
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var workId = WorkLink().Match(await client.GetStringAsync("/browse")).Groups[1].Value;
        Assert.NotEmpty(workId);
        var pages = new[] { "/", "/browse", $"/artworks/{workId}", "/collections", "/artists" };
        foreach (var page in pages)
        {
            using var response = await client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page} before the outage: {(int)response.StatusCode}");
        }

        // Two open tabs whose circuits are up; a marker that a reload would wipe.
        var browse = await OpenAsync("/browse", p => p.GetByTestId("result-count"));
        var work = await OpenAsync($"/artworks/{workId}", p => p.GetByTestId("artwork-title"));

        await Server.Cluster.StopAsync();
        var down = Stopwatch.StartNew();

        // In the open tabs: a search typed on Browse (an event handler, then the page's query) and the
        // artist link on the work page (a navigation inside the circuit).
        await browse.GetByLabel("Search title or artist").FillAsync("a");
        await browse.GetByLabel("Search title or artist").PressAsync("Tab");
        await Assertions.Expect(browse.GetByTestId("page-error")).ToContainTextAsync(OutageWords);
        var browseAnswered = down.Elapsed;
        await work.Locator("main a[href^='/artists/']").First.ClickAsync();
        await Assertions.Expect(work.GetByTestId("page-error")).ToContainTextAsync(OutageWords);
        var workAnswered = down.Elapsed;

        // The bounded page loop, until the database has been away for 20 s.
        var answers = new List<string>();
        var healthStatuses = new List<HttpStatusCode>();
        var bad = new List<string>();
        var slowest = TimeSpan.Zero;
        while (down.Elapsed < Outage)
        {
            foreach (var page in pages.Append("/health"))
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(page);
                var body = await response.Content.ReadAsStringAsync();
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                answers.Add($"{page}={(int)response.StatusCode}");
                if (page == "/health")
                {
                    healthStatuses.Add(response.StatusCode);
                }
                else if (response.StatusCode != HttpStatusCode.ServiceUnavailable || !body.Contains(OutageWords, StringComparison.Ordinal))
                {
                    bad.Add($"{page}: {(int)response.StatusCode}, {body.Length} chars, outage message {(body.Contains(OutageWords, StringComparison.Ordinal) ? "shown" : "missing")}: {body[..Math.Min(200, body.Length)]}");
                }
            }

            await Task.Delay(500);
        }

        var tabsDuring = new[] { await StateAsync(browse), await StateAsync(work) };

        await Server.Cluster.StartAgainAsync();
        var back = Stopwatch.StartNew();
        var working = new HashSet<string>(StringComparer.Ordinal);
        var all = pages.Append("/health").ToArray();
        while (working.Count < all.Length && back.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var page in all.Where(p => !working.Contains(p)))
            {
                using var response = await client.GetAsync(page);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    working.Add(page);
                }
            }

            if (working.Count < all.Length)
            {
                await Task.Delay(250);
            }
        }

        var pagesBack = back.Elapsed;

        // The open tabs, in the circuits they had: "Try again" until the page is there.
        var browseBack = await TryAgainUntilShownAsync(browse, browse.GetByTestId("result-count"), back);
        var workBack = await TryAgainUntilShownAsync(work, work.Locator("main h1").Filter(new LocatorFilterOptions { HasNotText = "unavailable" }), back);
        var tabsAfter = new[] { await StateAsync(browse), await StateAsync(work) };

        // Once back, every page keeps working (no stale pooled connection fails a later request).
        foreach (var page in pages)
        {
            using var response = await client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page} after the return: {(int)response.StatusCode}");
        }

        var log = Server.LogSince(logMark, int.MaxValue);
        var circuitDeaths = Regex.Count(log, "Unhandled exception in circuit");
        var during = answers.GroupBy(a => a).Select(g => $"{g.Key} x{g.Count()}");
        Output.WriteLine($"outage: postgres stopped (pg_ctl stop -m fast) {down.Elapsed.TotalSeconds:0.0} s, {answers.Count} requests, slowest {slowest.TotalMilliseconds:0} ms: {string.Join(", ", during)}; " +
            $"health 503 in {healthStatuses.Count(s => s == HttpStatusCode.ServiceUnavailable)} of {healthStatuses.Count}");
        Output.WriteLine($"outage: open tabs 2: the app's message {browseAnswered.TotalSeconds:0.0} s (browse search) and {workAnswered.TotalSeconds:0.0} s (artist link) into the outage, " +
            $"circuits ended {circuitDeaths}, Blazor error UI {tabsDuring.Concat(tabsAfter).Count(s => s.ErrorUi)}, reloaded {tabsAfter.Count(s => !s.SameDocument)}; " +
            $"after pg_ctl start: every page 200 in {pagesBack.TotalSeconds:0.0} s, open tabs working in {browseBack?.TotalSeconds:0.0} s / {workBack?.TotalSeconds:0.0} s");
        Assert.Empty(bad);
        Assert.All(healthStatuses, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.Equal(0, circuitDeaths);
        Assert.All(tabsDuring.Concat(tabsAfter), s => Assert.False(s.ErrorUi, "Blazor's error UI is up"));
        Assert.All(tabsAfter, s => Assert.True(s.SameDocument, "the tab was reloaded"));
        Assert.True(pagesBack < Recovery, $"pages came back only after {pagesBack.TotalSeconds:0.0} s; working: {string.Join(' ', working)}");
        Assert.True(browseBack < Recovery && workBack < Recovery, $"open tabs came back after {browseBack?.TotalSeconds:0.0} s / {workBack?.TotalSeconds:0.0} s (null: not within 30 s)");
    }

    private async Task<IPage> OpenAsync(string address, Func<IPage, ILocator> content)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(address);
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(content(page)).ToBeVisibleAsync();

        // Every section loaded (similar works, market, …): a query still running when the database
        // stops fails the page before the test's own action does.
        await Assertions.Expect(page.Locator("main .mud-progress-linear")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => { window.__outageTestMarker = true; }");
        return page;
    }

    /// <summary>Presses the page's "Try again" until <paramref name="content"/> shows; the time on <paramref name="clock"/> then, or null after 30 s.</summary>
    private static async Task<TimeSpan?> TryAgainUntilShownAsync(IPage page, ILocator content, Stopwatch clock)
    {
        var retry = page.GetByTestId("retry");
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await retry.IsVisibleAsync())
            {
                await retry.ClickAsync(new LocatorClickOptions { Timeout = 2000 });
            }

            try
            {
                await content.WaitForAsync(new LocatorWaitForOptions { Timeout = 500 });
                return clock.Elapsed;
            }
            catch (TimeoutException)
            {
                // Still the message: the pool may still hold connections from before the restart.
            }
        }

        return null;
    }

    private sealed record TabState(bool ErrorUi, bool SameDocument);

    private static async Task<TabState> StateAsync(IPage page)
    {
        var state = await page.EvaluateAsync<bool[]>("""
            () => {
              const ui = document.getElementById('blazor-error-ui');
              return [!!ui && getComputedStyle(ui).display !== 'none', window.__outageTestMarker === true];
            }
            """);
        return new TabState(state[0], state[1]);
    }

    [GeneratedRegex("/artworks/(\\d+)")]
    private static partial Regex WorkLink();
}
