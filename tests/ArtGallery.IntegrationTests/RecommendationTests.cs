using ArtGallery.Core.Recommendations;

namespace ArtGallery.IntegrationTests;

/// <summary>The "For you" feed on the embedded demo collection, with events recorded through the real services.</summary>
public sealed class RecommendationTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    private RecommendationService Feeds => fixture.Services.GetRequiredService<RecommendationService>();

    private EngagementService Engagements => fixture.Services.GetRequiredService<EngagementService>();

    private IDbContextFactory<GalleryDbContext> Contexts => fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();

    private static string NewVisitor() => VisitorKeys.ForCookie(VisitorKeys.NewCookieId());

    /// <summary>Demo works of one generated movement, by id.</summary>
    private async Task<List<int>> WorksOfStyleAsync(string style)
    {
        var catalogue = await RecommendationCatalogue.LoadAsync(Contexts);
        return [.. catalogue.Where(w => w.Style == style).Select(w => w.ArtworkId).Order()];
    }

    [Fact]
    public async Task Like_ChangesTheNextFeed_TowardsTheLikedMovement()
    {
        var visitor = NewVisitor();
        var before = await Feeds.GetFeedAsync(visitor, count: 12);
        Assert.False(before.Personalised);
        var inkWash = await WorksOfStyleAsync("Generated Ink Wash");
        var shareBefore = before.Cards.Count(c => c.Work.Style == "Generated Ink Wash");

        await Engagements.RecordAsync(visitor, EngagementKind.Like, inkWash[0]);
        var after = await Feeds.GetFeedAsync(visitor, count: 12);

        Assert.True(after.Personalised);
        Assert.NotEqual(before.Cards.Select(c => c.Work.Id), after.Cards.Select(c => c.Work.Id));
        Assert.Equal("Generated Ink Wash", after.Cards[0].Work.Style);
        Assert.True(after.Cards.Count(c => c.Work.Style == "Generated Ink Wash") > shareBefore);
        Assert.DoesNotContain(after.Cards, c => c.Work.Id == inkWash[0]); // liked: seen, not recommended back

        // A second like elsewhere changes it again: that movement now appears too.
        var drip = await WorksOfStyleAsync("Generated Drip");
        await Engagements.RecordAsync(visitor, EngagementKind.Like, drip[0]);
        await Engagements.RecordAsync(visitor, EngagementKind.Like, drip[1]);
        var third = await Feeds.GetFeedAsync(visitor, count: 12);
        Assert.Contains(third.Cards, c => c.Work.Style == "Generated Drip");
    }

    [Fact]
    public async Task DismissedWork_NeverComesBack_WhateverTheSteering()
    {
        var visitor = NewVisitor();
        var mosaic = await WorksOfStyleAsync("Generated Mosaic");
        foreach (var id in mosaic.Take(3))
        {
            await Engagements.RecordAsync(visitor, EngagementKind.Like, id);
        }

        var dismissed = new List<int>();
        for (var round = 0; round < 5; round++)
        {
            var feed = await Feeds.GetFeedAsync(visitor, count: 24);
            var top = feed.Cards[0].Work.Id;
            await Engagements.RecordAsync(visitor, EngagementKind.Dismiss, top);
            dismissed.Add(top);
        }

        var steerings = new[]
        {
            new FeedSteering(),
            new FeedSteering { Surprise = 1 },
            new FeedSteering { Styles = new Dictionary<string, double> { ["Generated Mosaic"] = 1 } },
            new FeedSteering { Warmth = 1 },
            new FeedSteering { Warmth = -1 },
        };
        foreach (var steering in steerings)
        {
            var feed = await Feeds.GetFeedAsync(visitor, steering, count: 200);
            Assert.NotEmpty(feed.Cards);
            Assert.DoesNotContain(feed.Cards, c => dismissed.Contains(c.Work.Id));
        }

        var history = await Engagements.GetHistoryAsync(visitor);
        Assert.Equal(dismissed.Order(), history.Dismissed.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task EveryCardsExplanation_NamesARealCause()
    {
        var visitor = NewVisitor();
        var peer = NewVisitor();
        var swirl = await WorksOfStyleAsync("Generated Swirl");
        var opArt = await WorksOfStyleAsync("Generated Op Art");
        await Engagements.RecordAsync(visitor, EngagementKind.Like, swirl[0]);
        await Engagements.RecordAsync(visitor, EngagementKind.Like, swirl[1]);
        await Engagements.RecordAsync(visitor, EngagementKind.Save, opArt[0]);

        // Someone else who liked the same work also liked works of another movement: co-engagement.
        await Engagements.RecordAsync(peer, EngagementKind.Like, swirl[0]);
        var colourField = await WorksOfStyleAsync("Generated Colour Field");
        foreach (var id in colourField.Take(4))
        {
            await Engagements.RecordAsync(peer, EngagementKind.Like, id);
        }

        var neoPlastic = await WorksOfStyleAsync("Generated Neo-plastic");

        int followed;
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            followed = await db.Artworks.Where(a => a.Id == neoPlastic[10]).Select(a => a.ArtistId!.Value).SingleAsync();
        }

        await Engagements.FollowAsync(visitor, followed, follow: true);

        // A long feed, so every source's candidates get a place and their explanations can be checked.
        var feed = await Feeds.GetFeedAsync(visitor, count: 200);

        var mine = new[] { swirl[0], swirl[1], opArt[0] };
        await using var check = await Contexts.CreateDbContextAsync();
        var publishedWorks = await check.CollectionItems.Where(i => i.Collection!.IsPublished).Select(i => i.ArtworkId).ToListAsync();
        var peerLikes = await check.Engagements.Where(e => e.VisitorKey == peer && e.Kind == EngagementKind.Like).Select(e => e.ArtworkId!.Value).ToListAsync();
        var sources = new HashSet<CandidateSource>();
        foreach (var card in feed.Cards)
        {
            sources.Add(card.Reason.Source);
            Assert.False(string.IsNullOrWhiteSpace(card.Why));
            switch (card.Reason.Source)
            {
                case CandidateSource.Interest:
                    Assert.Contains(card.Reason.BecauseOf!.Value, mine);
                    Assert.NotNull(card.Reason.Feature);
                    Assert.Contains(card.BecauseOf!.Title, card.Why, StringComparison.Ordinal);
                    break;
                case CandidateSource.CoEngagement:
                    Assert.Contains(card.Reason.BecauseOf!.Value, mine);
                    Assert.Contains(card.Reason.BecauseOf!.Value, peerLikes);
                    Assert.Contains(card.Work.Id, peerLikes);
                    Assert.Contains(card.BecauseOf!.Title, card.Why, StringComparison.Ordinal);
                    break;
                case CandidateSource.FollowedArtist:
                    Assert.Equal(followed, card.Work.ArtistId);
                    Assert.Contains(card.Work.ArtistName!, card.Why, StringComparison.Ordinal);
                    break;
                case CandidateSource.Collection:
                    Assert.Contains(card.Work.Id, publishedWorks);
                    Assert.Contains(card.SourceName!, card.Why, StringComparison.Ordinal);
                    break;
                case CandidateSource.Trending:
                    Assert.True(await check.Engagements.AnyAsync(e => e.ArtworkId == card.Work.Id));
                    break;
                case CandidateSource.Explore:
                    Assert.NotNull(card.Work.Style);
                    break;
            }
        }

        Assert.Contains(CandidateSource.Interest, sources);
        Assert.Contains(CandidateSource.FollowedArtist, sources);
        Assert.Contains(CandidateSource.CoEngagement, sources);
        Assert.DoesNotContain(feed.Cards, c => mine.Contains(c.Work.Id));
    }

    [Fact]
    public async Task ReembeddedWork_IsRankedWithItsNewVectors_NotTheCachedOnes()
    {
        var cache = fixture.Services.GetRequiredService<WorkVectorCache>();
        var visitor = NewVisitor();
        var dots = await WorksOfStyleAsync("Generated Pointillism");
        await Engagements.RecordAsync(visitor, EngagementKind.Like, dots[0]);

        // The newest work of a followed artist is always a candidate (the followed-artist source).
        int target, donor;
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var artist = await db.Artworks.Where(a => a.Id == dots[5]).Select(a => a.ArtistId!.Value).SingleAsync();
            target = await db.Artworks.Where(a => a.ArtistId == artist && a.Id != dots[0])
                .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Select(a => a.Id).FirstAsync();
            donor = (await WorksOfStyleAsync("Generated Drip"))[0];
            await Engagements.FollowAsync(visitor, artist, follow: true);
        }

        var original = await EmbeddingAsync(target);
        _ = await Feeds.GetFeedAsync(visitor, count: 200);
        Assert.True(cache.TryGet(target, original.CreatedAt.UtcDateTime, out var cached));
        AssertSameDirection(original.Style.ToArray(), cached!.Style);

        // Re-embedded (as the pipeline's upsert does: new vectors, new stamp): the next feed reads the new vectors.
        var replacement = await EmbeddingAsync(donor);
        var stamp = original.CreatedAt.AddSeconds(1);
        try
        {
            await SetEmbeddingAsync(target, replacement.Style, replacement.Content, stamp);
            _ = await Feeds.GetFeedAsync(visitor, count: 200);

            Assert.False(cache.TryGet(target, original.CreatedAt.UtcDateTime, out _));
            Assert.True(cache.TryGet(target, stamp.UtcDateTime, out var fresh));
            AssertSameDirection(replacement.Style.ToArray(), fresh!.Style);
            AssertSameDirection(replacement.Content.ToArray(), fresh.Content);
        }
        finally
        {
            await SetEmbeddingAsync(target, original.Style, original.Content, original.CreatedAt);
        }
    }

    private async Task<ArtworkEmbedding> EmbeddingAsync(int artworkId)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Embeddings.AsNoTracking().SingleAsync(e => e.ArtworkId == artworkId);
    }

    private async Task SetEmbeddingAsync(int artworkId, Pgvector.Vector style, Pgvector.Vector content, DateTimeOffset at)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        await db.Embeddings.Where(e => e.ArtworkId == artworkId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Style, style).SetProperty(e => e.Content, content).SetProperty(e => e.CreatedAt, at));
    }

    private static void AssertSameDirection(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(expected, actual) > 0.9999f);
    }

    [Fact]
    public async Task AnonymousHistory_MergesIntoTheAccount_AtSignIn()
    {
        var cookie = NewVisitor();
        var account = VisitorKeys.ForAccount(Guid.NewGuid().ToString());
        var pointillism = await WorksOfStyleAsync("Generated Pointillism");
        await Engagements.RecordAsync(cookie, EngagementKind.Like, pointillism[0]);
        await Engagements.RecordAsync(cookie, EngagementKind.Like, pointillism[1]);
        Assert.True(Engagements.RecordView(cookie, pointillism[2], TimeSpan.FromSeconds(20)));
        _ = await Feeds.GetFeedAsync(account); // the account's (empty) history is now cached

        var moved = await Engagements.MergeAsync(cookie, account);

        Assert.Equal(3, moved);
        var history = await Engagements.GetHistoryAsync(account);
        Assert.Equal([pointillism[1], pointillism[0]], history.Liked.Select(c => c.Id));
        Assert.Empty((await Engagements.GetHistoryAsync(cookie)).Liked);
        var feed = await Feeds.GetFeedAsync(account, count: 12);
        Assert.True(feed.Personalised);
        Assert.Equal("Generated Pointillism", feed.Cards[0].Work.Style);
    }

    [Fact]
    public async Task Views_AreQueued_AndWrittenWithTheirDwell_ShortOnesAreNot()
    {
        var visitor = NewVisitor();
        var queue = fixture.Services.GetRequiredService<ViewBuffer>();

        Assert.True(Engagements.RecordView(visitor, 5, TimeSpan.FromSeconds(12.5)));
        Assert.False(Engagements.RecordView(visitor, 6, TimeSpan.FromMilliseconds(300)));
        Assert.True(Engagements.RecordView(visitor, int.MaxValue, TimeSpan.FromSeconds(3))); // no such work: dropped when written
        await queue.DrainAsync(Contexts);

        await using var db = await Contexts.CreateDbContextAsync();
        var views = await db.Engagements.Where(e => e.VisitorKey == visitor).ToListAsync();
        var view = Assert.Single(views);
        Assert.Equal((EngagementKind.View, 5, 12_500), (view.Kind, view.ArtworkId!.Value, view.DwellMs!.Value));
    }

    [Fact]
    public async Task BadSignals_GetClearErrors_AndWriteNothing()
    {
        var visitor = NewVisitor();

        var unknown = await Assert.ThrowsAsync<EngagementException>(() => Engagements.RecordAsync(visitor, EngagementKind.Like, int.MaxValue));
        Assert.Contains("no longer exists", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<EngagementException>(() => Engagements.RecordAsync(" ", EngagementKind.Like, 1));
        await Assert.ThrowsAsync<EngagementException>(() => Engagements.FollowAsync(visitor, int.MaxValue, follow: true));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Engagements.RecordAsync(visitor, EngagementKind.Follow, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Feeds.GetFeedAsync(visitor, count: 0));
        await Assert.ThrowsAsync<ArgumentException>(() => Engagements.MergeAsync(VisitorKeys.ForAccount("a"), VisitorKeys.ForAccount("b")));

        await using var db = await Contexts.CreateDbContextAsync();
        Assert.False(await db.Engagements.AnyAsync(e => e.VisitorKey == visitor));
    }
}
