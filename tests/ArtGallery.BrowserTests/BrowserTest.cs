using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>
/// A browser test class: fresh browser contexts in the run's headless Chromium against <typeparamref name="TServer"/>, and, after
/// each test, what a failure needs to be understood afterwards in the test's output (shown by the
/// console logger for failed tests): every page's address, document loads, circuit sockets and
/// console messages, whether Blazor's error or reconnect UI is up, and the server's log lines
/// written during the test.
/// </summary>
public abstract class BrowserTest<TServer>(TServer server, ITestOutputHelper output) : IAsyncLifetime
    where TServer : GalleryServer
{
    private HeadlessChromium? _chromium;
    private int _serverLogMark;

    protected TServer Server { get; } = server;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>How long an <c>Expect</c> assertion waits; the machines are shared, 2-core and noisy.</summary>
    protected virtual float ExpectTimeoutMilliseconds => 20_000;

    /// <summary>How long a page action (navigation, click, fill) waits.</summary>
    protected virtual float ActionTimeoutMilliseconds => 30_000;

    protected HeadlessChromium Chromium => _chromium ?? throw new InvalidOperationException("The browser starts in InitializeAsync.");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMilliseconds);
        _serverLogMark = Server.LogLineCount;
        _chromium = await HeadlessChromium.OpenAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is null)
        {
            return;
        }

        try
        {
            Output.WriteLine(await _chromium.DescribeAsync());
            Output.WriteLine($"server log during the test ({Server.BaseAddress}):");
            Output.WriteLine(Server.LogSince(_serverLogMark, maxLines: 80));
        }
        finally
        {
            await _chromium.DisposeAsync();
        }
    }

    /// <summary>A page in a fresh browser context on the server.</summary>
    protected Task<IPage> NewPageAsync() => Chromium.NewPageAsync(Server.BaseAddress, ActionTimeoutMilliseconds);
}
