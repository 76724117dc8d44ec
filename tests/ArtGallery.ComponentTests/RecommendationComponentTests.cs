using ArtGallery.Core.Recommendations;
using ArtGallery.Data.Entities;
using ArtGallery.Testing;
using ArtGallery.Web.Features.Recommendations;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ArtGallery.ComponentTests;

public sealed class RecommendationComponentTests(DemoDatabaseFixture fixture) : BunitContext, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's sliders register services that only dispose asynchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private EngagementService Engagements => fixture.Services.GetRequiredService<EngagementService>();

    private IRenderedComponent<ForYouFeed> RenderFeed(string cookieId)
    {
        Services.AddMudServices();
        Services.AddSingleton(fixture.Services.GetRequiredService<RecommendationService>());
        Services.AddSingleton(Engagements);
        JSInterop.Mode = JSRuntimeMode.Loose;
        return Render<ForYouFeed>(p => p.AddCascadingValue(new VisitorIdentity(cookieId)));
    }

    private async Task<List<int>> WorksOfStyleAsync(string style) =>
        [.. (await RecommendationCatalogue.LoadAsync(fixture.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ArtGallery.Data.GalleryDbContext>>()))
            .Where(w => w.Style == style).Select(w => w.ArtworkId).Order()];

    [Fact]
    public async Task Feed_ExplainsEveryCard_AndNotInterestedRemovesTheCardForGood()
    {
        var cookie = VisitorKeys.NewCookieId();
        var key = VisitorKeys.ForCookie(cookie);
        var inkWash = await WorksOfStyleAsync("Generated Ink Wash");
        await Engagements.RecordAsync(key, EngagementKind.Like, inkWash[0]);
        await Engagements.RecordAsync(key, EngagementKind.Like, inkWash[1]);

        var cut = RenderFeed(cookie);

        cut.WaitForAssertion(() => Assert.Equal(24, cut.FindAll("[data-testid=feed-card]").Count), TimeSpan.FromSeconds(15));
        Assert.All(cut.FindAll("[data-testid=feed-why]"), why => Assert.False(string.IsNullOrWhiteSpace(why.TextContent)));
        Assert.StartsWith("Because you liked", cut.FindAll("[data-testid=feed-why]")[0].TextContent.Trim(), StringComparison.Ordinal);

        // "Why this?" opens the details of that card.
        cut.FindAll("[data-testid=feed-why-this]")[0].Click();
        cut.WaitForAssertion(() => Assert.Contains("Source:", cut.Find("[data-testid=feed-why-details]").TextContent, StringComparison.Ordinal));

        var first = cut.FindAll("[data-testid=feed-card]")[0].GetAttribute("data-artwork-id")!;
        cut.FindAll("[data-testid=feed-dismiss]")[0].Click();

        cut.WaitForAssertion(() => Assert.DoesNotContain(cut.FindAll("[data-testid=feed-card]"), c => c.GetAttribute("data-artwork-id") == first), TimeSpan.FromSeconds(15));
        var history = await Engagements.GetHistoryAsync(key);
        Assert.Equal([int.Parse(first, System.Globalization.CultureInfo.InvariantCulture)], history.Dismissed.Select(c => c.Id));
    }

    [Fact]
    public void Feed_ForABrandNewVisitor_SpreadsAcrossTheCollectionsStyles()
    {
        var cut = RenderFeed(VisitorKeys.NewCookieId());

        cut.WaitForAssertion(() => Assert.Equal(24, cut.FindAll("[data-testid=feed-card]").Count), TimeSpan.FromSeconds(15));
        var styles = cut.FindAll("[data-testid=feed-card]").Select(c => c.GetAttribute("data-style")).Distinct().Count();
        Assert.True(styles >= 6, $"{styles} styles in a new visitor's first 24 cards");
        Assert.Contains("Like a few works", cut.Find("[data-testid=feed-intro]").TextContent, StringComparison.Ordinal);
    }
}
