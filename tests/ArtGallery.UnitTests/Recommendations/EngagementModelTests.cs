using ArtGallery.Core.Recommendations;
using ArtGallery.Data.Entities;

namespace ArtGallery.UnitTests.Recommendations;

public class EngagementModelTests
{
    [Fact]
    public void Fold_LaterEventsWin_AndListsAreNewestFirst()
    {
        var state = VisitorState.Fold(
        [
            (EngagementKind.Like, 1, null), (EngagementKind.Like, 2, null), (EngagementKind.Dismiss, 3, null),
            (EngagementKind.Like, 3, null), // liking a dismissed work takes the dismissal back
            (EngagementKind.Unlike, 1, null), (EngagementKind.Dismiss, 2, null), // a dismissal takes a like back
            (EngagementKind.Save, 4, null), (EngagementKind.View, 5, null),
            (EngagementKind.Follow, null, 7), (EngagementKind.Follow, null, 8), (EngagementKind.Unfollow, null, 7),
        ]);

        Assert.Equal([3], state.Liked);
        Assert.Equal([2], state.Dismissed);
        Assert.Equal([4], state.Saved);
        Assert.Equal([8], state.Following);
    }

    [Fact]
    public void CookieIds_AreRandom128BitBase64Url_AndAnythingElseIsRefused()
    {
        var a = VisitorKeys.NewCookieId();
        var b = VisitorKeys.NewCookieId();

        Assert.NotEqual(a, b);
        Assert.True(VisitorKeys.IsValidCookieId(a));
        Assert.Equal(22, a.Length);
        Assert.False(VisitorKeys.IsValidCookieId(null));
        Assert.False(VisitorKeys.IsValidCookieId("not-a-cookie"));
        Assert.False(VisitorKeys.IsValidCookieId(new string('!', 22)));
        Assert.Equal("v:" + a, VisitorKeys.Resolve(null, a));
        Assert.Null(VisitorKeys.Resolve(null, "forged; Path=/"));
    }

    [Theory]
    [InlineData("#ff0000", 1.0)]
    [InlineData("#0000ff", -1.0)]
    [InlineData("#808080", 0.0)]
    public void Warmth_IsRedMinusBlue(string colour, double expected) =>
        Assert.Equal(expected, SteeringDirectionsLoader.Warmth([colour]), 3);

    [Fact]
    public void Warmth_WeighsTheDominantColourMost_AndSkipsMalformedOnes()
    {
        var warmFirst = SteeringDirectionsLoader.Warmth(["#ff0000", "#0000ff"]);
        Assert.True(warmFirst > 0);
        Assert.Equal(warmFirst, SteeringDirectionsLoader.Warmth(["#ff0000", "#0000ff", "oops", "#12"]), 9);
        Assert.Equal(0, SteeringDirectionsLoader.Warmth([]));
    }

    [Fact]
    public void Explanations_NameTheLikedWorkAndTheFeature()
    {
        var style = FeedExplanation.Describe(new FeedReason(CandidateSource.Interest, 4, MatchFeature.Style, null, 0.9), "Blue Harbour", null);
        var content = FeedExplanation.Describe(new FeedReason(CandidateSource.Interest, 4, MatchFeature.Content, "Generated Drip", 0.9), "Blue Harbour", null);
        var variety = FeedExplanation.Describe(new FeedReason(CandidateSource.Interest, 4, MatchFeature.Style, null, 0.5, ForVariety: true), "Blue Harbour", null);
        var peers = FeedExplanation.Describe(new FeedReason(CandidateSource.CoEngagement, 4, null, null, 0), "Blue Harbour", null);
        var follow = FeedExplanation.Describe(new FeedReason(CandidateSource.FollowedArtist, 9, null, null, 0), null, "Ilse Novak");

        Assert.Equal("Because you liked “Blue Harbour” — close palette and brushwork", style);
        Assert.Equal("Because you liked “Blue Harbour” — similar subject and composition; Generated Drip, which you like and save often", content);
        Assert.StartsWith("For variety — because you liked “Blue Harbour”", variety, StringComparison.Ordinal);
        Assert.Equal("People who liked “Blue Harbour” also liked this", peers);
        Assert.Equal("By Ilse Novak, whom you follow", follow);
        Assert.Contains("style embedding", FeedExplanation.Details(new FeedReason(CandidateSource.Interest, 4, MatchFeature.Style, null, 0.9)), StringComparison.Ordinal);
    }
}
