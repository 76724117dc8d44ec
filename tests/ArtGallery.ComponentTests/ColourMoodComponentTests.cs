using ArtGallery.Web.Features.Recognition;
using Bunit;
using MudBlazor.Services;

namespace ArtGallery.ComponentTests;

public sealed class ColourMoodComponentTests : BunitContext
{
    public ColourMoodComponentTests() => Services.AddMudServices();

    [Fact]
    public void ColourMoodLine_SaysWhatTheModelReadsAndWhoseModelItIs()
    {
        // Pure yellow: Y = .9278, S = 1 → pleasure .86, arousal .31, dominance −.39 (ColourMoodTests checks the arithmetic).
        var cut = Render<ColourMoodLine>(p => p.Add(c => c.Palette, ["#ffff00"]));

        Assert.Contains("Colour mood (Valdez & Mehrabian)", cut.Find("[data-testid=colour-mood]").TextContent, StringComparison.Ordinal);
        Assert.Equal("lively, warm", cut.Find("[data-testid=colour-mood-words]").TextContent.Trim());
        Assert.Contains("pleasure 0.86 · arousal 0.31 · dominance -0.39", cut.Find("[data-testid=colour-mood-figures]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ColourMoodLine_WithoutAReadablePalette_ShowsNothing()
    {
        var cut = Render<ColourMoodLine>(p => p.Add(c => c.Palette, ["not a colour"]));

        Assert.Empty(cut.FindAll("[data-testid=colour-mood]"));
    }
}
