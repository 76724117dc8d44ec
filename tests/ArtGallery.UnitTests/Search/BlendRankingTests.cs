using ArtGallery.Core.Search;

namespace ArtGallery.UnitTests.Search;

public sealed class BlendRankingTests
{
    // Work 1 is closest in style, work 2 in content, work 3 a fair second in both.
    private static readonly Candidate[] Candidates =
    [
        new(1, StyleDistance: 0.05, ContentDistance: 0.60),
        new(2, StyleDistance: 0.50, ContentDistance: 0.10),
        new(3, StyleDistance: 0.20, ContentDistance: 0.25),
    ];

    [Fact]
    public void Rank_WeightOne_OrdersByStyleDistanceAlone()
    {
        var ranked = BlendRanking.Rank(Candidates, styleWeight: 1, minSimilarity: -1, count: 3);
        Assert.Equal([1, 3, 2], ranked.Select(r => r.ArtworkId));
        Assert.Equal(0.95, ranked[0].Score, 12);
    }

    [Fact]
    public void Rank_WeightZero_OrdersByContentDistanceAlone()
    {
        var ranked = BlendRanking.Rank(Candidates, styleWeight: 0, minSimilarity: -1, count: 3);
        Assert.Equal([2, 3, 1], ranked.Select(r => r.ArtworkId));
    }

    [Fact]
    public void Rank_EvenBlend_PrefersTheWorkCloseInBoth()
    {
        var ranked = BlendRanking.Rank(Candidates, styleWeight: 0.5, minSimilarity: -1, count: 3);
        Assert.Equal(3, ranked[0].ArtworkId);
        Assert.Equal(1 - ((0.5 * 0.20) + (0.5 * 0.25)), ranked[0].Score, 12);
        Assert.Equal(0.80, ranked[0].StyleScore, 12);
        Assert.Equal(0.75, ranked[0].ContentScore, 12);
    }

    [Fact]
    public void Rank_WorkProposedByBothIndexes_AppearsOnce()
    {
        var ranked = BlendRanking.Rank([.. Candidates, Candidates[0]], styleWeight: 0.5, minSimilarity: -1, count: 10);
        Assert.Equal(3, ranked.Count);
    }

    [Fact]
    public void Rank_Threshold_DropsWorksBelowIt_AndCountCapsTheRest()
    {
        Assert.Equal([1], BlendRanking.Rank(Candidates, styleWeight: 1, minSimilarity: 0.9, count: 3).Select(r => r.ArtworkId));
        Assert.Equal([1, 3], BlendRanking.Rank(Candidates, styleWeight: 1, minSimilarity: 0, count: 2).Select(r => r.ArtworkId));
        Assert.Empty(BlendRanking.Rank(Candidates, styleWeight: 1, minSimilarity: 0, count: 0));
    }

    [Fact]
    public void Rank_EqualScores_BreakTiesByArtworkId()
    {
        var ranked = BlendRanking.Rank([new(9, 0.1, 0.1), new(4, 0.1, 0.1)], styleWeight: 0.5, minSimilarity: -1, count: 2);
        Assert.Equal([4, 9], ranked.Select(r => r.ArtworkId));
    }
}

public sealed class SimilarQueryTests
{
    [Fact]
    public void Normalized_OutOfRangeValues_AreClampedNotRejected()
    {
        var q = new SimilarQuery { StyleWeight = 3, MinSimilarity = -7, Count = 5000 }.Normalized();
        Assert.Equal(1, q.StyleWeight);
        Assert.Equal(-1, q.MinSimilarity);
        Assert.Equal(SimilarQuery.MaxCount, q.Count);
        Assert.Equal(1, new SimilarQuery { Count = 0 }.Normalized().Count);
    }

    [Fact]
    public void Normalized_NaN_FallsBackToDefaults()
    {
        var q = new SimilarQuery { StyleWeight = double.NaN, MinSimilarity = double.NaN }.Normalized();
        Assert.Equal(SimilarQuery.DefaultStyleWeight, q.StyleWeight);
        Assert.Equal(0, q.MinSimilarity);
    }

    [Fact]
    public void Normalized_ReversedYearsAndUntidyTag_AreTidied()
    {
        var q = new SimilarQuery { Filters = new SimilarFilters { YearFrom = 1950, YearTo = 1900, Tag = "  Generated-Mosaic " } }.Normalized();
        Assert.Equal(1900, q.Filters.YearFrom);
        Assert.Equal(1950, q.Filters.YearTo);
        Assert.Equal("generated-mosaic", q.Filters.Tag);
        Assert.Null(new SimilarQuery { Filters = new SimilarFilters { Tag = "   " } }.Normalized().Filters.Tag);
    }

    [Fact]
    public void Normalized_UndefinedMode_BecomesBlend()
    {
        Assert.Equal(SimilarMode.Blend, new SimilarQuery { Mode = (SimilarMode)42 }.Normalized().Mode);
    }

    [Theory]
    [InlineData(SimilarMode.Style, 0.3, 1)]
    [InlineData(SimilarMode.Content, 0.3, 0)]
    [InlineData(SimilarMode.Blend, 0.3, 0.3)]
    public void EffectiveStyleWeight_FollowsTheMode(SimilarMode mode, double weight, double expected)
    {
        Assert.Equal(expected, new SimilarQuery { Mode = mode, StyleWeight = weight }.EffectiveStyleWeight);
    }
}
