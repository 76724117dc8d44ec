using Deque.AxeCore.Commons;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;

namespace ArtGallery.BrowserTests;

/// <summary>
/// axe-core's scan of a page as it is now, run inside that page: the rules, options and impacts of
/// Deque's <c>page.RunAxe()</c> (axe's defaults, the axe-core bundled with Deque.AxeCore). That call
/// also injected axe a second time into a blank page of its own, opened and closed for every scan,
/// to merge its results, and carried every passing node back across the wire: most of a scan's time
/// on pages without frames, which ours are. Here axe is injected once per document and only the
/// violations' nodes come back (axe still runs every rule).
/// </summary>
internal static class AxeScan
{
    private static readonly Lazy<string> Source = new(() => new BundledAxeScriptProvider().GetScript());

    public static async Task<AxeResult> RunAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe?.run === 'function'"))
        {
            await page.EvaluateAsync("() => " + Source.Value);
        }

        var json = await page.EvaluateAsync<string>("async () => JSON.stringify(await axe.run(document, { resultTypes: ['violations'] }))");
        return new AxeResult(JObject.Parse(json));
    }
}
