using ArtGallery.Core.Search;

namespace ArtGallery.UnitTests.Search;

public class SimilarityScaleTests
{
    /// <summary>Positive vectors crowding round one direction, as the encoder's ReLU features do (cosines near 1).</summary>
    private static List<(float[] Style, float[] Content)> Works(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (Vector(random), Vector(random)))];

        static float[] Vector(Random random) => [.. Enumerable.Range(0, 32).Select(_ => 5f + (float)random.NextDouble())];
    }

    [Fact]
    public void Match_SpreadsCrowdedCosinesOverZeroToOne_AndSimilarityAtInvertsIt()
    {
        var scale = NeighbourDistribution.Build(Works(120, 1))!;
        var low = scale.SimilarityAt(0.05, 0.5);
        var high = scale.SimilarityAt(0.95, 0.5);

        // The raw cosines of these neighbours all sit within a few thousandths of 1: the scale spreads them.
        Assert.InRange(low, 0.98, 1);
        Assert.True(high > low);
        foreach (var match in new[] { 0.05, 0.25, 0.5, 0.75, 0.95 })
        {
            Assert.Equal(match, scale.Match(scale.SimilarityAt(match, 0.5), 0.5), 6);
        }
    }

    [Fact]
    public void Match_IsZeroBelowEveryNeighbour_OneAboveThem_AndNeverFallsAsSimilarityRises()
    {
        var scale = NeighbourDistribution.Build(Works(60, 2))!;
        Assert.Equal(0, scale.Match(0.5, 1));
        Assert.Equal(0, scale.Match(double.NaN, 1));
        Assert.Equal(1, scale.Match(1.0, 1));
        var previous = 0.0;
        for (var s = 0.99; s <= 1.0; s += 0.0001)
        {
            var match = scale.Match(s, 1);
            Assert.True(match >= previous, $"match fell at {s}");
            previous = match;
        }
    }

    [Fact]
    public void SimilarityAt_NoThresholdAtZero_AndTheClosestPairAtOne()
    {
        var scale = NeighbourDistribution.Build(Works(30, 3))!;
        Assert.Equal(double.NegativeInfinity, scale.SimilarityAt(0, 0));
        Assert.Equal(1, scale.Match(scale.SimilarityAt(1, 0), 0));
    }

    [Fact]
    public void Build_NeedsTwoWorks()
    {
        Assert.Null(NeighbourDistribution.Build(Works(1, 4)));
    }
}
