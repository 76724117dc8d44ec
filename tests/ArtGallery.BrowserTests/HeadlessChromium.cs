using System.Globalization;
using System.Text;
using Microsoft.Playwright;

namespace ArtGallery.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright, launched as the project's machines need it (no sandbox,
/// no GPU, no background traffic); Playwright never downloads a browser of its own.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<(IPage Page, List<string> Events)> _pages = [];

    private HeadlessChromium(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>A page in a fresh context (its own cookies and storage) on <paramref name="baseAddress"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, float timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
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

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
