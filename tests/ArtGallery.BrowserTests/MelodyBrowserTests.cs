using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArtGallery.BrowserTests;

/// <summary>The melody studio in headless Chromium against the real app and the shipped melody model.</summary>
[Collection(SharedGalleryServer.Name)]
public sealed class MelodyBrowserTests(GalleryServer server, ITestOutputHelper output)
    : BrowserTest<GalleryServer>(server, output)
{
    [Fact]
    public async Task Visitor_ComposesForAnArtwork_AndThePageGetsAWavThatDecodes()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/browse");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.GetByTestId("artwork-grid").Locator("a").First.ClickAsync();
        await page.WaitForURLAsync("**/artworks/*");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);

        await page.GetByTestId("compose-button").ClickAsync();
        var player = page.GetByTestId("compose-for-artwork").GetByTestId("melody-player");
        await Assertions.Expect(player).ToBeVisibleAsync();
        Assert.True(await player.Locator("[data-testid=piano-roll] rect").CountAsync() > 4, "the piano roll shows fewer than five notes");
        var summary = await player.GetByTestId("melody-summary").InnerTextAsync();
        Assert.Contains("100% of sampled notes in key", summary, StringComparison.Ordinal);

        // The URL the page's <audio> element plays: a PCM WAV whose header and length agree.
        var src = await player.GetByTestId("melody-audio").GetAttributeAsync("src");
        Assert.NotNull(src);
        var response = await page.APIRequest.GetAsync(src!);
        Assert.Equal(200, response.Status);
        Assert.Equal("audio/wav", response.Headers["content-type"]);
        var wav = await response.BodyAsync();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(wav, 8, 4));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20))); // PCM
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        Assert.Equal(wav.Length - 44, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)));

        // Chromium itself decodes it: 8 bars at the summary's tempo, plus the synth's release tail.
        var seconds = await page.EvaluateAsync<double>(
            "async url => { const b = await (await fetch(url)).arrayBuffer(); const a = await new OfflineAudioContext(1, 1, 22050).decodeAudioData(b); return a.duration; }", src);
        var bpm = double.Parse(System.Text.RegularExpressions.Regex.Match(summary, @"(\d+) bpm").Groups[1].Value, CultureInfo.InvariantCulture);
        var beats = summary.Contains("of 3/4", StringComparison.Ordinal) ? 3 : 4;
        var expected = (8 * beats * 60 / bpm) + 0.4;
        Assert.InRange(seconds, expected - 0.6, expected + 0.1); // the last bar may end in a rest

        var midi = await page.APIRequest.GetAsync(await player.GetByTestId("melody-midi").GetAttributeAsync("href") ?? "");
        Assert.Equal("MThd", System.Text.Encoding.ASCII.GetString((await midi.BodyAsync())[..4]));
    }

    [Fact]
    public async Task Visitor_ComposesInTheStudioWithAPrimer_AndAbsurdSettingsGetAClearMessage()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/studio/melody");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await page.GetByLabel("Primer melody").FillAsync("D4:2 E4:2 F#4 A4:8");
        await page.GetByTestId("melody-compose").ClickAsync();
        await Assertions.Expect(page.GetByTestId("melody-player")).ToBeVisibleAsync();
        Assert.Contains("D major", await page.GetByTestId("melody-summary").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/studio/melody?bars=100000&t=50");
        await HeadlessChromium.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("melody-problem").First).ToContainTextAsync("length must be 1 to 32 bars");

        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        using var bad = await client.GetAsync(new Uri("/studio/melody/melody.wav?t=abc&bars=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("t must be a number", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
