using ArtGallery.Core.Search;
using ArtGallery.Web.Features.Search;
using Bunit;
using MudBlazor;
using MudBlazor.Services;

namespace ArtGallery.ComponentTests;

/// <summary>The search controls and the URL they write: what a visitor's clicks turn into.</summary>
public sealed class SearchComponentTests : BunitContext, IAsyncLifetime
{
    public SearchComponentTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's slider services are IAsyncDisposable only; xunit would otherwise dispose synchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private (IRenderedComponent<SearchControls> Cut, List<SimilarQuery> Raised) RenderControls(SimilarQuery query)
    {
        var raised = new List<SimilarQuery>();
        var cut = Render<SearchControls>(p => p.Add(c => c.Query, query).Add(c => c.QueryChanged, (SimilarQuery q) => raised.Add(q)));
        return (cut, raised);
    }

    [Fact]
    public void ModeToggle_ChoosingContent_RaisesAContentQueryKeepingTheRest()
    {
        var query = new SimilarQuery { Mode = SimilarMode.Blend, MinSimilarity = 0.4, Filters = new SimilarFilters { ArtistId = 3 } };
        var (cut, raised) = RenderControls(query);

        cut.FindComponents<MudToggleItem<SimilarMode>>().Single(t => t.Instance.Value == SimilarMode.Content).Find("button, .mud-toggle-item").Click();

        var q = Assert.Single(raised);
        Assert.Equal(SimilarMode.Content, q.Mode);
        Assert.Equal(0.4, q.MinSimilarity);
        Assert.Equal(3, q.Filters.ArtistId);
    }

    [Fact]
    public void BlendSlider_ShowsOnlyInBlendMode()
    {
        Assert.Single(RenderControls(new SimilarQuery { Mode = SimilarMode.Blend }).Cut.FindAll("[data-testid=blend-weight]"));
        Assert.Empty(RenderControls(new SimilarQuery { Mode = SimilarMode.Style }).Cut.FindAll("[data-testid=blend-weight]"));
    }

    [Fact]
    public async Task ThresholdSlider_RaisesTheNewMinimum()
    {
        var (cut, raised) = RenderControls(new SimilarQuery { Mode = SimilarMode.Style });

        // The slider sets the minimum match on the collection's own scale (issue 18 item 9), not a raw cosine.
        var slider = cut.FindComponents<MudSlider<double>>().Single(s => s.Markup.Contains("Minimum match", StringComparison.Ordinal));
        await cut.InvokeAsync(() => slider.Instance.ValueChanged.InvokeAsync(0.65));

        var q = Assert.Single(raised);
        Assert.Equal(0.65, q.MinMatch);
        Assert.Equal(0, q.MinSimilarity);
        Assert.Equal(SimilarMode.Style, q.Mode);
    }

    [Fact]
    public void SearchUrl_RoundTripsAQuery_AndLeavesDefaultsOut()
    {
        var query = new SimilarQuery
        {
            Mode = SimilarMode.Blend,
            StyleWeight = 0.25,
            MinSimilarity = 0.7,
            Count = 48,
            Filters = new SimilarFilters { ArtistId = 4, CollectionId = 2, YearFrom = 1900, YearTo = 1950, Tag = "generated-swirl" },
        };

        var p = SearchUrl.Parameters(query);
        var back = SearchUrl.Parse((string?)p["mode"], Read(p["w"]), Read(p["min"]), (int?)p["artist"], (int?)p["collection"], (int?)p["from"], (int?)p["to"], (string?)p["tag"], (int?)p["k"]);

        Assert.Equal(query.Normalized(), back);
        Assert.All(SearchUrl.Parameters(new SimilarQuery()).Values, Assert.Null);
        Assert.Equal("content", SearchUrl.Parameters(new SimilarQuery { Mode = SimilarMode.Content })["mode"]);
    }

    [Fact]
    public void SearchUrl_GarbageFromAnEditedUrl_BecomesAValidQuery()
    {
        var q = SearchUrl.Parse("sideways", 9, -3, null, null, 2000, 1800, " ", 100000);
        Assert.Equal(SimilarMode.Blend, q.Mode);
        Assert.Equal(1, q.StyleWeight);
        Assert.Equal(-1, q.MinSimilarity);
        Assert.Equal((1800, 2000), (q.Filters.YearFrom!.Value, q.Filters.YearTo!.Value));
        Assert.Null(q.Filters.Tag);
        Assert.Equal(SimilarQuery.MaxCount, q.Count);
    }

    private static double? Read(object? value) =>
        value is string s ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;
}
