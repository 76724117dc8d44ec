using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Demo;
using ArtGallery.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>A visitor painting a photo in a gallery work's style, from the work's page, in headless Chromium.</summary>
[Collection(SharedGalleryServer.Name)]
public sealed class StudioBrowserTests(GalleryServer server, ITestOutputHelper output)
    : BrowserTest<GalleryServer>(server, output)
{
    // A render runs on the shared machine's CPU: give assertions room.
    protected override float ExpectTimeoutMilliseconds => 60_000;

    [Fact]
    public async Task Visitor_PaintsAPhotoLikeAWork_SeesProgress_AndGetsAResultCloserInStyleToTheWork()
    {
        var page = await NewPageAsync();
        // A textured movement: a flat, smooth style is already close to a flat photo before any painting.
        await page.GotoAsync("/browse?style=generated-pointillism&sort=title");
        // Opened by its address: a click on a grid link right after the page loads sometimes went unanswered
        // in headless Chromium (3 of 6 runs on 2026-12-02, the page still on /browse a minute later).
        var href = await page.GetByTestId("artwork-grid").Locator("a").Nth(2).GetAttributeAsync("href") ?? throw new InvalidOperationException("no work link");
        await page.GotoAsync(href);
        await Assertions.Expect(page.GetByTestId("artwork-title")).ToBeVisibleAsync();
        var workImage = await page.Locator("img[src*='/images/large/']").First.GetAttributeAsync("src") ?? throw new InvalidOperationException("no work image");

        // Clicked once the circuit has rendered the page: in one full local run (2026-12-02) a click as the
        // circuit connected left the page where it was for 30 s; 12 such early clicks in a row under load did
        // not fail again, so it is not diagnosed. The click trace (HeadlessChromium) now shows where a click goes.
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("paint-like-this").ClickAsync();
        await page.WaitForURLAsync("**/studio?work=*");

        // A small, short render keeps the test well under a minute on two shared cores.
        await page.GotoAsync(page.Url + "&size=256&steps=60");
        var input = page.GetByTestId("studio-photo");
        await Assertions.Expect(input).ToBeEnabledAsync();
        var photo = SyntheticPhoto.LandscapePng();
        await input.SetInputFilesAsync(new FilePayload { Name = "my-garden.png", MimeType = "image/png", Buffer = photo });
        await Assertions.Expect(page.GetByTestId("studio-photo-name")).ToContainTextAsync("my-garden.png");
        await page.GetByTestId("studio-start").ClickAsync();

        await Assertions.Expect(page.GetByTestId("studio-progress")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("studio-preview")).ToBeVisibleAsync();
        var done = await page.GetByTestId("studio-progress-bar").GetAttributeAsync("data-done");
        var workTitle = await page.GetByTestId("studio-style").First.InnerTextAsync();

        // Opened afresh by the job alone (as after a reload), the form shows the settings the job runs with.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("job=\\d+"));
        var job = System.Text.RegularExpressions.Regex.Match(page.Url, "job=(\\d+)").Groups[1].Value;
        await page.GotoAsync($"/studio?job={job}");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        // What the control shows: its text and its inputs' values, wherever MudBlazor put the test id inside it.
        const string Values = "e => { const c = e.closest('.mud-input-control') || e; return c.innerText + '|' + [...c.querySelectorAll('input')].map(i => i.value).join('|'); }";
        // The interactive render reads the job again after the circuit starts (the prerendered form
        // already showed it): poll, as a person would see it settle, rather than read once.
        await WaitForControlAsync(page, "studio-size", Values, "256");
        await WaitForControlAsync(page, "studio-steps", Values, "60");
        await Assertions.Expect(page.GetByTestId("studio-photo-name")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("studio-style")).ToHaveCountAsync(1);
        Assert.Equal(workTitle, await page.GetByTestId("studio-style").First.InnerTextAsync());
        await Assertions.Expect(page.GetByTestId("studio-result")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        Assert.Contains("job=", page.Url, StringComparison.Ordinal);

        // The result survives a reload (the job is in the URL) and is in My creations.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("studio-result")).ToBeVisibleAsync();
        // The similar works load after the result shows: wait for the first one instead of counting at once.
        await Assertions.Expect(page.GetByTestId("similar-results").Locator("a").First).ToBeVisibleAsync();
        var download = await page.GetByTestId("studio-download").GetAttributeAsync("href") ?? throw new InvalidOperationException("no download link");
        var png = await (await page.Context.APIRequest.GetAsync(new Uri(Server.BaseAddress, download).ToString())).BodyAsync();
        await page.GotoAsync("/studio/creations");
        await Assertions.Expect(page.GetByTestId("creation")).ToHaveCountAsync(1);

        // Named after the work it was painted like, and every button inside its card, at a phone's width too.
        var styleTitle = workTitle.Trim().Split('\n')[0].Trim();
        await Assertions.Expect(page.GetByTestId("creation-title")).ToHaveTextAsync($"My photo in the style of “{styleTitle}”");
        // The prerendered card is replaced when the circuit starts: measure the interactive one.
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 844);
            await Assertions.Expect(page.GetByTestId("creation-download")).ToBeVisibleAsync();
            var card = await page.GetByTestId("creation").BoundingBoxAsync();
            var button = await page.GetByTestId("creation-download").BoundingBoxAsync();
            Assert.True(button!.X + button.Width <= card!.X + card.Width + 0.5, $"at {width} px Download ends at {button.X + button.Width}, its card at {card.X + card.Width}");
        }

        // Measured here with the gallery's encoder, not taken from the app's own figures.
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var work = Image.Load<Rgb24>(await http.GetByteArrayAsync(new Uri(workImage, UriKind.Relative)));
        using var original = Image.Load<Rgb24>(photo);
        using var result = Image.Load<Rgb24>(png);
        using var encoder = new StyleEncoder(Options.Create(new EngineOptions { ExecutionProvider = ExecutionProviderPreference.Cpu }), NullLogger<StyleEncoder>.Instance);
        var encoded = encoder.Encode([work, original, result]);
        var before = StyleDescriptors.CosineSimilarity(encoded[1].Style, encoded[0].Style);
        var after = StyleDescriptors.CosineSimilarity(encoded[2].Style, encoded[0].Style);
        Output.WriteLine($"progress seen at step {done}; style similarity to the work: photo {before:F3}, result {after:F3}");
        Assert.True(after > before, $"result {after:F3} is not closer in style to the work than the photo ({before:F3})");
    }

    private static async Task WaitForControlAsync(IPage page, string testId, string read, string expected)
    {
        var control = page.GetByTestId(testId);
        var shown = string.Empty;
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            shown = await control.EvaluateAsync<string>(read);
            if (shown.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Contains(expected, shown, StringComparison.Ordinal);
    }
}
