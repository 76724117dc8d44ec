using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace ArtGallery.BrowserTests;

/// <summary>One page as a person saw it at one width: how wide it drew and what axe-core found on it.</summary>
public sealed record PageVisit(string Path, int ScrollWidth, int InnerWidth, AxeResult Axe);

/// <summary>
/// The visits of every page a kind of person can open, at one width each, that the layout and the
/// accessibility tests both check (the same pages, people and widths): whichever of them comes first
/// makes each visit once, measuring the page's width, scanning it with axe-core and saving a
/// screenshot of it if it overflows, and the other reads what was seen. The pages are only read, never changed, so seeing
/// them once per person and width is what seeing them twice was. A visit that failed half-way is not
/// kept: the next test makes it again.
/// </summary>
public sealed class LayoutVisits
{
    /// <summary>
    /// A full-page screenshot took 0.4 to 6 s on the shared 2-core machines, often most of a visit: only
    /// a page that overflows is saved, unless <c>AG_LAYOUT_SCREENSHOTS=all</c> asks for every page.
    /// </summary>
    private static readonly bool SaveEveryScreenshot = Environment.GetEnvironmentVariable("AG_LAYOUT_SCREENSHOTS") == "all";

    /// <summary>The tests of one collection run one at a time, so no lock guards this.</summary>
    private readonly Dictionary<(string Who, int Width), IReadOnlyList<PageVisit>> _seen = [];

    /// <summary>
    /// Every page of <paramref name="who"/> (already signed in on <paramref name="page"/>) at
    /// <paramref name="width"/> × <paramref name="height"/>: sets the page's viewport to that size and
    /// visits them on it (leaving it on the last), unless a test before this one visited them.
    /// </summary>
    public async Task<IReadOnlyList<PageVisit>> VisitAsync(IPage page, string who, int width, int height, int longTitleWorkId)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.SetViewportSizeAsync(width, height);
        if (_seen.TryGetValue((who, width), out var seen))
        {
            return seen;
        }

        var visits = new List<PageVisit>();
        foreach (var path in LayoutBrowserTests.Pages(who, longTitleWorkId))
        {
            await OpenAsync(page, path);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var axe = await AxeScan.RunAsync(page);
            if (widths[0] > widths[1] || SaveEveryScreenshot)
            {
                var folder = Directory.CreateDirectory(ScreenshotFolder(who, width)).FullName;
                await page.ScreenshotAsync(new() { Path = Path.Combine(folder, FileName(path)), FullPage = true });
            }

            visits.Add(new PageVisit(path, widths[0], widths[1], axe));
        }

        _seen[(who, width)] = visits;
        return visits;
    }

    /// <summary>Opens <paramref name="path"/> and waits until its circuit has rendered it and its requests have settled.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(path);
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Where the screenshots of <paramref name="who"/>'s pages at <paramref name="width"/> go, beside the test assembly.</summary>
    public static string ScreenshotFolder(string who, int width) =>
        Path.Combine(AppContext.BaseDirectory, "screenshots", FormattableString.Invariant($"{who.Split('@')[0]}-{width}"));

    private static string FileName(string path)
    {
        var name = path.Trim('/').Replace('/', '_').Replace('?', '_').Replace('=', '-');
        return (name.Length == 0 ? "home" : name) + ".png";
    }
}
