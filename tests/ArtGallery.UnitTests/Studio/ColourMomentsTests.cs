using ArtGallery.Engines.Studio.StyleTransfer;

namespace ArtGallery.UnitTests.Studio;

public sealed class ColourMomentsTests
{
    [Fact]
    public void Of_GivesEachChannelsMean_AndTheCovarianceBetweenChannels()
    {
        // Two pixels: B = (0, 2), G = (1, 3), R = (4, 0): means 1, 2, 2; G rises with B, R falls.
        var moments = ColourMoments.Of([0, 2, 1, 3, 4, 0]);
        Assert.Equal(new[] { 1.0, 2.0, 2.0 }, moments.Mean);
        Assert.Equal(1.0, moments.Covariance[0], 1e-12);
        Assert.Equal(1.0, moments.Covariance[1], 1e-12);
        Assert.Equal(-2.0, moments.Covariance[2], 1e-12);
        Assert.Equal(4.0, moments.Covariance[8], 1e-12);
        Assert.Equal(moments.Covariance[2], moments.Covariance[6]);
    }

    [Fact]
    public void Loss_IsZeroOnTheTarget_WithNoGradient()
    {
        var x = Random(11, 3 * 40);
        var gradient = new float[x.Length];
        Assert.Equal(0f, ColourMoments.AddLoss(x, ColourMoments.Of(x), 5f, gradient), 1e-6f);
        Assert.All(gradient, g => Assert.Equal(0f, g, 1e-6f));
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var x = Random(3, 3 * 30);
        var target = ColourMoments.Of(Random(4, 3 * 50, offset: 20));
        var gradient = new float[x.Length];
        ColourMoments.AddLoss(x, target, 2f, gradient);
        foreach (var i in new[] { 0, 17, 45, 89 })
        {
            var plus = (float[])x.Clone();
            var minus = (float[])x.Clone();
            plus[i] += 0.05f;
            minus[i] -= 0.05f;
            var numeric = (ColourMoments.AddLoss(plus, target, 2f, new float[x.Length]) - ColourMoments.AddLoss(minus, target, 2f, new float[x.Length])) / 0.1f;

            // Central differences of a quartic are exact to O(h²); the float32 loss (about 10) rounds
            // at ~1e-6 relative, which over 0.1 leaves ~1e-4 absolute.
            Assert.Equal(numeric, gradient[i], 2e-3f);
        }
    }

    [Fact]
    public void GradientSteps_BringTheMomentsToTheTargets()
    {
        var x = Random(5, 3 * 200);
        var target = ColourMoments.Of(Random(6, 3 * 200, offset: 30, spread: 60));
        var before = ColourMoments.AddLoss(x, target, 1f, new float[x.Length]);
        for (var step = 0; step < 200; step++)
        {
            var gradient = new float[x.Length];
            ColourMoments.AddLoss(x, target, 1f, gradient);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] -= 1000 * gradient[i];
            }
        }

        var after = ColourMoments.AddLoss(x, target, 1f, new float[x.Length]);
        Assert.True(after < before / 100, $"loss {before} → {after}");
    }

    private static float[] Random(int seed, int length, float offset = 0, float spread = 100)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => offset + (float)(random.NextDouble() * spread))];
    }
}
