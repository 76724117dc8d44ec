using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace ArtGallery.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright, launched as the project's machines need it (no sandbox,
/// no GPU, no background traffic); Playwright never downloads a browser of its own. One browser serves
/// every test of the run (launching one took 2.6 to 7 s per test on a loaded 2-core machine); each
/// test gets its own <see cref="HeadlessChromium"/>, whose pages live in fresh browser contexts (their
/// own cookies, storage and cache) that are closed when the test ends.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly SemaphoreSlim LaunchLock = new(1, 1);
    private static IPlaywright? _sharedPlaywright;
    private static IBrowser? _sharedBrowser;

    private readonly IBrowser _browser;
    private readonly List<(IPage Page, List<string> Events)> _pages = [];
    private readonly List<IBrowserContext> _contexts = [];

    private HeadlessChromium(IBrowser browser) => _browser = browser;

    /// <summary>A test's view of the run's browser, launched on first use (and again if it went away).</summary>
    public static async Task<HeadlessChromium> OpenAsync()
    {
        await LaunchLock.WaitAsync();
        try
        {
            if (_sharedBrowser is not { IsConnected: true })
            {
                _sharedPlaywright ??= await Playwright.CreateAsync();
                _sharedBrowser = await _sharedPlaywright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
                });
                AppDomain.CurrentDomain.ProcessExit -= CloseAtExit;
                AppDomain.CurrentDomain.ProcessExit += CloseAtExit;
            }

            return new HeadlessChromium(_sharedBrowser);
        }
        finally
        {
            LaunchLock.Release();
        }
    }

    /// <summary>
    /// Closes the run's browser and Playwright's driver as the test host exits. An exit handler cannot
    /// await; the driver would also end with the host, this only ends it in order.
    /// </summary>
    private static void CloseAtExit(object? sender, EventArgs e)
    {
        try
        {
            _sharedBrowser?.CloseAsync().GetAwaiter().GetResult();
        }
        catch (PlaywrightException)
        {
            // Already gone.
        }

        _sharedPlaywright?.Dispose();
    }

    /// <summary>A page in a fresh context (its own cookies and storage) on <paramref name="baseAddress"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, float timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        await context.AddInitScriptAsync(ClickTraceScript);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeoutMilliseconds);
        var events = new List<string>();
        lock (_pages)
        {
            _pages.Add((page, events));
        }

        void Record(string what)
        {
            lock (events)
            {
                events.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {what}"));
            }
        }

        page.Load += (_, p) => Record($"load {p.Url}");
        page.FrameNavigated += (_, f) =>
        {
            if (f.ParentFrame is null)
            {
                Record($"navigated {f.Url}");
            }
        };
        page.Console += (_, m) => Record($"console.{m.Type} {m.Text}");
        page.PageError += (_, e) => Record($"page error {e}");
        page.RequestFailed += (_, r) => Record($"request failed {r.Method} {r.Url}: {r.Failure}");
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                Record($"response {r.Status} {r.Request.Method} {r.Url}");
            }
        };
        page.WebSocket += (_, ws) =>
        {
            Record($"websocket open {ws.Url}");
            ws.Close += (_, _) => Record($"websocket closed {ws.Url}");
            ws.SocketError += (_, e) => Record($"websocket error {ws.Url}: {e}");
        };
        return page;
    }

    /// <summary>
    /// What each page of this browser went through and shows now: its events (loads, navigations,
    /// circuit sockets, console messages, failed requests) and, where it is still open, its address,
    /// whether Blazor's error or reconnect UI is up, and the start of its visible text.
    /// </summary>
    public async Task<string> DescribeAsync()
    {
        List<(IPage Page, List<string> Events)> pages;
        lock (_pages)
        {
            pages = [.. _pages];
        }

        var text = new StringBuilder();
        for (var i = 0; i < pages.Count; i++)
        {
            var (page, events) = pages[i];
            text.Append(CultureInfo.InvariantCulture, $"page {i + 1}: ");
            if (page.IsClosed)
            {
                text.AppendLine("closed");
            }
            else
            {
                try
                {
                    var state = await page.EvaluateAsync<string>(PageStateScript, null);
                    text.AppendLine(CultureInfo.InvariantCulture, $"{page.Url} {state}");
                }
                catch (PlaywrightException e)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"{page.Url} (state unreadable: {e.Message.Split('\n')[0]})");
                }
            }

            lock (events)
            {
                foreach (var line in events.TakeLast(60))
                {
                    text.Append("  ").AppendLine(line.Length > 300 ? line[..300] + "…" : line);
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes to the console, for the page's event list, every click (its target and, after every handler
    /// has run, whether one prevented the default) and every history entry a script pushes or replaces:
    /// what tells a click that never arrived from one a handler swallowed, or a navigation that stalled.
    /// </summary>
    private const string ClickTraceScript = """
        (() => {
          const describe = e => {
            if (!(e instanceof Element)) return String(e);
            const a = e.closest('a');
            const id = e.closest('[data-testid]');
            return e.tagName.toLowerCase() + (id ? ' in [' + id.getAttribute('data-testid') + ']' : '') + (a ? ' link ' + a.getAttribute('href') : '');
          };
          window.addEventListener('click', e => {
            const target = describe(e.target);
            console.debug('[trace] click ' + target + (e.isTrusted ? '' : ' (untrusted)'));
            setTimeout(() => console.debug('[trace] click handled ' + target + (e.defaultPrevented ? ': default prevented' : '')), 0);
          }, true);
          for (const name of ['pushState', 'replaceState']) {
            const original = history[name];
            history[name] = function (state, title, url) {
              console.debug('[trace] history.' + name + ' ' + url);
              return original.apply(this, arguments);
            };
          }
        })();
        """;

    private const string PageStateScript = """
        () => {
          const shown = e => !!e && getComputedStyle(e).display !== 'none' && !e.hidden;
          const reconnect = document.getElementById('components-reconnect-modal');
          const ids = {};
          for (const e of document.querySelectorAll('[data-testid]')) { const k = e.getAttribute('data-testid'); ids[k] = (ids[k] || 0) + 1; }
          return JSON.stringify({
            interactive: !!document.querySelector('[data-testid=interactive]'),
            errorUi: shown(document.getElementById('blazor-error-ui')),
            reconnect: reconnect ? (reconnect.className || 'present') + (reconnect.open ? ' open' : '') : null,
            testIds: ids,
            text: (document.body.innerText || '').replace(/\s+/g, ' ').slice(0, 600),
          });
        }
        """;

    /// <summary>
    /// Waits until the page's circuit has rendered it (MainLayout's marker): a link clicked before then
    /// can change the address without changing the page.
    /// </summary>
    public static Task WaitUntilInteractiveAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.GetByTestId("interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>Closes this test's contexts (and their pages); the browser stays up for the next test.</summary>
    public async ValueTask DisposeAsync()
    {
        List<IBrowserContext> contexts;
        lock (_contexts)
        {
            contexts = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in contexts)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // The browser went away with it: the next test launches another.
            }
        }
    }
}
