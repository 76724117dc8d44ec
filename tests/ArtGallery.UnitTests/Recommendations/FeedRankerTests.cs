using ArtGallery.Data.Entities;
using ArtGallery.Core.Recommendations;

namespace ArtGallery.UnitTests.Recommendations;

public class FeedRankerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Five movements of 40 works (three artists each), style vectors clustered by movement and content
    /// vectors by one of four subjects, so style and content disagree about who is close.
    /// </summary>
    internal static Dictionary<int, WorkVectors> Collection(int seed = 7)
    {
        var random = new Random(seed);
        float[] Direction() => Normalise([.. Enumerable.Range(0, 32).Select(_ => (float)Gaussian(random))]);
        var movements = Enumerable.Range(0, 5).Select(_ => Direction()).ToArray();
        var subjects = Enumerable.Range(0, 4).Select(_ => Direction()).ToArray();
        var works = new Dictionary<int, WorkVectors>();
        for (var id = 1; id <= 200; id++)
        {
            var movement = (id - 1) / 40;
            var style = Normalise([.. movements[movement].Select(v => v + (0.35f * (float)Gaussian(random) / 5.6f))]);
            var content = Normalise([.. subjects[id % 4].Select(v => v + (0.35f * (float)Gaussian(random) / 5.6f))]);
            works[id] = new WorkVectors(id, ArtistId: (movement * 3) + (id % 3), Style: $"movement-{movement}", style, content);
        }

        return works;
    }

    private static float[] Normalise(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static List<FeedCandidate> All(Dictionary<int, WorkVectors> works) =>
        [.. works.Values.Select(w => new FeedCandidate(w, CandidateSource.Interest, Popularity: (w.ArtworkId % 10) / 10.0))];

    private static Engagement Like(int id, double daysAgo = 1) => new(id, EngagementKind.Like, Now.AddDays(-daysAgo));

    [Fact]
    public void Build_LikesInTwoMovements_MakeTwoInterestsAnchoredOnTheLikedWorks()
    {
        var works = Collection();

        var profile = TasteProfile.Build([Like(1), Like(2), Like(3), Like(81), Like(82)], works, Now);

        Assert.Equal(2, profile.Interests.Count);
        Assert.Equal([1, 2, 3], profile.Interests[0].Anchors.Order());
        Assert.Equal([81, 82], profile.Interests[1].Anchors.Order());
        Assert.Equal(0.6, profile.StyleAffinity["movement-0"], 3);
    }

    [Fact]
    public void Build_OldLikes_WeighLessThanRecentOnes()
    {
        var works = Collection();

        var profile = TasteProfile.Build([Like(1, daysAgo: 90), Like(81, daysAgo: 1)], works, Now);

        Assert.Equal([81], profile.Interests[0].Anchors);
        Assert.True(profile.Interests[1].Weight < 0.1 * profile.Interests[0].Weight);
    }

    [Fact]
    public void Rank_AfterLikesInOneMovement_LeadsWithItButShowsOthers()
    {
        var works = Collection();
        var profile = TasteProfile.Build([Like(41), Like(42), Like(43)], works, Now);

        var feed = FeedRanker.Rank(profile, All(works), new FeedOptions { Count = 12 });

        Assert.Equal(12, feed.Count);
        Assert.Equal("movement-1", works[feed[0].ArtworkId].Style);
        var styles = feed.Select(f => works[f.ArtworkId].Style).ToList();
        Assert.True(styles.Count(s => s == "movement-1") >= 4, string.Join(", ", styles));
        Assert.True(styles.Where(s => s != "movement-1").Distinct().Count() >= 2, string.Join(", ", styles));
    }

    [Fact]
    public void Rank_NeverReturnsSeenOrDismissedWorks_AndPushesAwayFromDismissed()
    {
        var works = Collection();
        var events = new List<Engagement> { Like(41), Like(42), new(43, EngagementKind.View, Now, TimeSpan.FromSeconds(2)) };
        events.AddRange(Enumerable.Range(121, 5).Select(id => new Engagement(id, EngagementKind.Dismiss, Now)));
        var profile = TasteProfile.Build(events, works, Now);

        var feed = FeedRanker.Rank(profile, All(works), new FeedOptions { Count = 40 });

        Assert.DoesNotContain(feed, f => f.ArtworkId is 41 or 42 or 43 or (>= 121 and <= 125));
        var dismissedMovement = feed.Count(f => works[f.ArtworkId].Style == "movement-3");
        Assert.True(dismissedMovement <= feed.Count(f => works[f.ArtworkId].Style == "movement-4"), "the dismissed movement ranks below an unrelated one");
    }

    [Fact]
    public void Rank_NeighbouringCards_NeverShareAnArtist_AndArtistsAreCapped()
    {
        var works = Collection();
        var profile = TasteProfile.Build([Like(1), Like(2)], works, Now);

        var feed = FeedRanker.Rank(profile, All(works), new FeedOptions { Count = 24, MaxArtistShare = 2 / 24.0 });

        var artists = feed.Select(f => works[f.ArtworkId].ArtistId).ToList();
        Assert.All(artists.Zip(artists.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.All(artists.GroupBy(a => a), g => Assert.True(g.Count() <= 2));
    }

    [Fact]
    public void Rank_EveryCardExplainsItselfWithALikedWorkAndAFeature()
    {
        var works = Collection();
        var liked = new[] { 1, 2, 81 };
        var profile = TasteProfile.Build(liked.Select(id => Like(id)), works, Now);

        var feed = FeedRanker.Rank(profile, All(works));

        Assert.All(feed, f =>
        {
            Assert.Contains(f.Reason.BecauseOf!.Value, liked);
            Assert.NotNull(f.Reason.Feature);
        });
        // A card chosen for relevance names the liked work it shares the named feature with: its movement
        // (style) or its subject (content, id % 4 in this collection); the rest say they are there for variety.
        Assert.All(feed.Where(f => !f.Reason.ForVariety), f =>
        {
            var because = f.Reason.BecauseOf!.Value;
            var shared = f.Reason.Feature == MatchFeature.Style ? works[because].Style == works[f.ArtworkId].Style : because % 4 == f.ArtworkId % 4;
            Assert.True(shared, $"work {f.ArtworkId} ({works[f.ArtworkId].Style}) is explained by {because} ({works[because].Style}) through {f.Reason.Feature}");
        });
        Assert.Contains(feed, f => f.Reason.Feature == MatchFeature.Style);
        Assert.Contains(feed, f => f.Reason.Feature == MatchFeature.Content);
    }

    [Fact]
    public void Rank_SteeringTowardsAStyle_BringsMoreOfIt()
    {
        var works = Collection();
        var profile = TasteProfile.Build([Like(1), Like(41)], works, Now);
        var centres = works.Values.GroupBy(w => w.Style!).ToDictionary(g => g.Key, g => Normalise([.. Enumerable.Range(0, 32).Select(d => g.Sum(w => w.StyleVector[d]))]));
        var directions = new SteeringDirections(centres, WarmMinusCool: null);

        int CountOf(string style, double amount) => FeedRanker.Rank(profile, All(works), new FeedOptions { Count = 12 },
            new FeedSteering { Styles = new Dictionary<string, double> { [style] = amount } }, directions).Count(f => works[f.ArtworkId].Style == style);

        Assert.True(CountOf("movement-2", 1) > CountOf("movement-2", 0));
        Assert.True(CountOf("movement-0", -1) < CountOf("movement-0", 0));
    }

    [Fact]
    public void Rank_SteeringAtFullStrength_FillsMostOfTheFeedWithTheStyle()
    {
        var works = Collection();
        var profile = TasteProfile.Build([Like(1), Like(2), Like(3), Like(41)], works, Now);
        var centres = works.Values.GroupBy(w => w.Style!).ToDictionary(g => g.Key, g => Normalise([.. Enumerable.Range(0, 32).Select(d => g.Sum(w => w.StyleVector[d]))]));
        var directions = new SteeringDirections(centres, WarmMinusCool: null);

        var feed = FeedRanker.Rank(profile, All(works), new FeedOptions { Count = 24 },
            new FeedSteering { Styles = new Dictionary<string, double> { ["movement-2"] = 1 }, Surprise = 0.3 }, directions);
        var steered = feed.Count(f => works[f.ArtworkId].Style == "movement-2");

        // The style no like was near takes more than half the feed, and leads it.
        Assert.True(steered >= 13, $"{steered} of {feed.Count} cards are movement-2");
        Assert.Equal("movement-2", works[feed[0].ArtworkId].Style);
    }

    [Fact]
    public void Rank_OneLike_IsNotAFavouriteStyle_AndTakesUnderHalfOfTheTopTen()
    {
        var works = Collection();
        var one = FeedRanker.Rank(TasteProfile.Build([Like(1)], works, Now), All(works), new FeedOptions { Count = 10 });

        Assert.All(one, f => Assert.Null(f.Reason.FavouriteStyle));
        Assert.All(one.Where(f => f.Reason.BecauseOf is not null), f => Assert.Equal(1, f.Reason.BecauseOf));
        Assert.True(one.Count(f => works[f.ArtworkId].Style == "movement-0") <= 4, string.Join(", ", one.Select(f => works[f.ArtworkId].Style)));
        Assert.StartsWith("Because you liked “Work 1”", FeedExplanation.Describe(one[0].Reason, "Work 1", null), StringComparison.Ordinal);
        Assert.DoesNotContain("often", FeedExplanation.Describe(one[0].Reason, "Work 1", null), StringComparison.Ordinal);

        // Three likes of the movement are the evidence for "which you like and save often".
        var three = FeedRanker.Rank(TasteProfile.Build([Like(1), Like(2), Like(3)], works, Now), All(works), new FeedOptions { Count = 10 });
        Assert.Contains(three, f => f.Reason.FavouriteStyle == "movement-0");
    }

    [Fact]
    public void Build_DismissThenUndismiss_NoLongerPushesAway()
    {
        var works = Collection();
        Engagement[] events = [Like(1, 3), new(5, EngagementKind.Dismiss, Now.AddDays(-2)), new(5, EngagementKind.Undismiss, Now.AddDays(-1))];

        var profile = TasteProfile.Build(events, works, Now);
        var state = VisitorState.Fold(events.Select(e => (e.Kind, (int?)e.ArtworkId, (int?)null)));

        Assert.Empty(profile.Dismissed);
        Assert.Empty(state.Dismissed);
        Assert.Equal([1], state.Liked);
    }

    [Fact]
    public void Rank_ColdStart_FollowsPopularity()
    {
        var works = Collection();
        var profile = TasteProfile.Build([], works, Now);

        var feed = FeedRanker.Rank(profile, All(works), new FeedOptions { Count = 6 });

        Assert.True(profile.IsEmpty);
        Assert.All(feed, f => Assert.Equal(0.9, f.Score, 3));
    }
}
