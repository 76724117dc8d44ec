using ArtGallery.Core.Gallery;
using ArtGallery.Core.Recognition;
using ArtGallery.Data.Entities;
using ArtGallery.Testing;
using ArtGallery.Web.Features.Recognition;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SixLabors.ImageSharp;

namespace ArtGallery.ComponentTests;

/// <summary>The artwork page's "Where the model sees it" toggle over the embedded, curator-tagged demo collection.</summary>
public sealed class WhereTheModelSeesItComponentTests(DemoDatabaseFixture fixture) : BunitContext, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public async Task Toggle_LaysTheTopSubjectsHeatmapOverTheImage()
    {
        var (work, cut) = await RenderAsync();
        var subjects = fixture.Services.GetRequiredService<VocabularyRecogniser>().Head(TagVocabulary.Subject);
        var curatorSubject = (await subjects.DescribeAsync(work.Id)).Curator[0];
        Assert.Empty(cut.FindAll("[data-testid=cam-overlay]"));
        cut.Find("[data-testid=where-the-model-sees-it] input[type=checkbox]").Change(true);

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=cam-overlay]")), TimeSpan.FromSeconds(30));
        var figure = cut.Find("[data-testid=cam-figure]");
        Assert.Equal("/images/display/x.jpg", figure.QuerySelector("img.cam-base")!.GetAttribute("src"));
        var src = cut.Find("[data-testid=cam-overlay]").GetAttribute("src")!;
        Assert.StartsWith("data:image/png;base64,", src, StringComparison.Ordinal);
        using var overlay = Image.Load(Convert.FromBase64String(src["data:image/png;base64,".Length..]));
        // 32 px per cell of the stage-4 grid, whose shorter side is 7 cells at the encoder's 224 px.
        Assert.Equal(7 * 32, Math.Min(overlay.Width, overlay.Height));

        // The default is the work's subject (the demo's curator tag), pressed among the choices.
        var pressed = Assert.Single(cut.FindAll("[data-testid=cam-choice][aria-pressed=true]"));
        Assert.Equal(nameof(TagVocabulary.Subject), pressed.GetAttribute("data-vocabulary"));
        Assert.Contains(curatorSubject, cut.Find("[data-testid=cam-caption]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=where-the-model-sees-it] input[type=checkbox]").Change(false);
        Assert.Empty(cut.FindAll("[data-testid=cam-overlay]"));
    }

    [Fact]
    public async Task PickingTheTopStyle_MapsThatStyleInstead()
    {
        var (work, cut) = await RenderAsync();
        var top = (await fixture.Services.GetRequiredService<StyleRecognitionService>().PredictAsync(work.Id, 1))[0];
        cut.Find("[data-testid=where-the-model-sees-it] input[type=checkbox]").Change(true);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=cam-overlay]")), TimeSpan.FromSeconds(30));
        var subjectMap = cut.Find("[data-testid=cam-overlay]").GetAttribute("src");

        cut.Find("[data-testid=cam-choice][data-vocabulary=Style]").Click();

        cut.WaitForAssertion(() => Assert.Contains(top.Name, cut.Find("[data-testid=cam-caption]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("true", cut.Find("[data-testid=cam-choice][data-vocabulary=Style]").GetAttribute("aria-pressed"));
        Assert.NotEqual(subjectMap, cut.Find("[data-testid=cam-overlay]").GetAttribute("src"));
    }

    [Fact]
    public async Task AMapAskedForAgain_ComesFromTheCacheWithoutRunningTheNetwork()
    {
        var (work, _) = await RenderAsync();
        var maps = fixture.Services.GetRequiredService<ActivationMapService>();
        var choice = (await maps.ChoicesAsync(work.Id))[0];

        var first = await maps.RenderAsync(work.Id, choice.Vocabulary, choice.Slug);
        var again = await maps.RenderAsync(work.Id, choice.Vocabulary, choice.Slug);

        // The same grid array: the second answer did not run the encoder again.
        Assert.NotNull(first);
        Assert.Same(first.Grid, again!.Grid);
    }

    private async Task<(ArtworkCard Work, IRenderedComponent<WhereTheModelSeesIt> Cut)> RenderAsync()
    {
        var recognition = fixture.Services.GetRequiredService<StyleRecognitionService>();
        await recognition.EnsureTrainedAsync();
        await fixture.Services.GetRequiredService<VocabularyRecogniser>().Head(TagVocabulary.Subject).EnsureTrainedAsync();
        Services.AddMudServices();
        Services.AddSingleton(recognition);
        Services.AddSingleton(fixture.Services.GetRequiredService<ActivationMapService>());
        JSInterop.Mode = JSRuntimeMode.Loose;
        var work = (await fixture.Services.GetRequiredService<GalleryService>().BrowseAsync(new ArtworkQuery { PageSize = 1 })).Items[0];
        var cut = Render<WhereTheModelSeesIt>(p => p.Add(c => c.ArtworkId, work.Id).Add(c => c.ImageSrc, "/images/display/x.jpg").Add(c => c.Alt, work.AltText));
        return (work, cut);
    }
}
