using ArtGallery.Engines.Studio.Gan;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Studio;

public sealed class GanLatentsTests
{
    [Fact]
    public void FromSeed_SameSeed_GivesTheSameLatent_AndOtherSeedsDiffer()
    {
        Assert.Equal(GanLatents.FromSeed(42, 100), GanLatents.FromSeed(42, 100));
        Assert.NotEqual(GanLatents.FromSeed(42, 100), GanLatents.FromSeed(43, 100));
    }

    [Fact]
    public void FromSeed_IsStandardNormal()
    {
        var values = Enumerable.Range(0, 1000).SelectMany(s => GanLatents.FromSeed(s, 100)).Select(v => (double)v).ToArray();
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average();
        // 100,000 draws: the standard error of the mean is 0.003 and of the variance 0.0045; 0.02 is > 4 of each.
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, 0.98, 1.02);
        Assert.InRange(values.Count(v => Math.Abs(v) > 1.96) / (double)values.Length, 0.045, 0.055);
    }

    [Fact]
    public void FromSeed_OddDimension_IsAPrefixOfTheEvenOne()
    {
        Assert.Equal(GanLatents.FromSeed(7, 100)[..99], GanLatents.FromSeed(7, 99));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(GanLatents.MaxSeed + 1)]
    public void FromSeed_OutOfRangeSeed_IsRefused(long seed)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GanLatents.FromSeed(seed, 100));
        Assert.Contains("whole number from 0 to", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Slerp_HitsBothEnds_AndKeepsTheNormOfEqualLengthLatents()
    {
        var a = Normalised(GanLatents.FromSeed(1, 100));
        var b = Normalised(GanLatents.FromSeed(2, 100));
        Assert.Equal(a, GanLatents.Slerp(a, b, 0), (x, y) => Math.Abs(x - y) < 1e-6f);
        Assert.Equal(b, GanLatents.Slerp(a, b, 1), (x, y) => Math.Abs(x - y) < 1e-6f);
        var middle = GanLatents.Slerp(a, b, 0.5f);
        // Unit vectors stay on the unit sphere along the great circle; float rounding only.
        Assert.Equal(1f, Norm(middle), 4);
        // The straight line's middle is shorter: the reason the studio morphs along the sphere.
        Assert.True(Norm(GanLatents.Lerp(a, b, 0.5f)) < 0.9f);
    }

    [Fact]
    public void Slerp_ParallelLatents_FallsBackToTheStraightLine()
    {
        float[] a = [1, 2, 3];
        float[] b = [2, 4, 6];
        Assert.Equal(GanLatents.Lerp(a, b, 0.25f), GanLatents.Slerp(a, b, 0.25f));
    }

    [Fact]
    public void Path_HasTheAskedFrames_FromFirstToLast()
    {
        var a = GanLatents.FromSeed(3, 100);
        var b = GanLatents.FromSeed(4, 100);
        var path = GanLatents.Path(a, b, 8);
        Assert.Equal(8, path.Count);
        Assert.Equal(a, path[0], (x, y) => Math.Abs(x - y) < 1e-5f);
        Assert.Equal(b, path[^1], (x, y) => Math.Abs(x - y) < 1e-5f);
        Assert.Throws<ArgumentOutOfRangeException>(() => GanLatents.Path(a, b, 1));
    }

    [Fact]
    public void Breed_WithoutMutation_TakesEveryGeneFromOneParent_RoughlyHalfFromEach()
    {
        var a = GanLatents.FromSeed(10, 100);
        var b = GanLatents.FromSeed(11, 100);
        var child = GanLatents.Breed(a, b, 0, 5);
        var fromA = 0;
        for (var i = 0; i < child.Length; i++)
        {
            Assert.True(child[i] == a[i] || child[i] == b[i]);
            fromA += child[i] == a[i] ? 1 : 0;
        }

        // A fair coin per gene: 100 genes fall within 30..70 from one side with probability > 0.9999.
        Assert.InRange(fromA, 30, 70);
    }

    [Fact]
    public void Breed_IsReproducible_AndTheBreedSeedChangesTheChild()
    {
        var a = GanLatents.FromSeed(10, 100);
        var b = GanLatents.FromSeed(11, 100);
        Assert.Equal(GanLatents.Breed(a, b, 0.3f, 9), GanLatents.Breed(a, b, 0.3f, 9));
        Assert.NotEqual(GanLatents.Breed(a, b, 0.3f, 9), GanLatents.Breed(a, b, 0.3f, 10));
    }

    [Fact]
    public void Breed_FullMutation_ForgetsTheParents_AndAnyMutationKeepsTheLatentStandardNormal()
    {
        var a = GanLatents.FromSeed(10, 100);
        var b = GanLatents.FromSeed(11, 100);
        Assert.Equal(GanLatents.Breed(a, b, 1, 4), GanLatents.Breed(GanLatents.FromSeed(20, 100), b, 1, 4));

        var values = Enumerable.Range(0, 500)
            .SelectMany(k => GanLatents.Breed(GanLatents.FromSeed(2 * k, 100), GanLatents.FromSeed((2 * k) + 1, 100), 0.5f, k + 1000))
            .Select(v => (double)v).ToArray();
        var variance = values.Select(v => v * v).Average();
        // 50,000 draws: standard error of the second moment ≈ 0.0063; 0.03 is ~5 of them.
        Assert.InRange(variance, 0.97, 1.03);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Breed_MutationOutsideZeroToOne_IsRefused(float mutation)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GanLatents.Breed(new float[4], new float[4], mutation, 1));
    }

    [Fact]
    public void Breed_LatentsOfDifferentLength_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => GanLatents.Breed(new float[4], new float[5], 0, 1));
    }

    [Fact]
    public void ToImage_MapsTheTanhRangeOntoBytes_AndToTensorInvertsIt()
    {
        // Planar R, G, B of a 2×1... as 1×1 per value: three 2×2 planes.
        float[] chw = [-1, 0, 1, 0.5f, /* G */ 1, 1, 1, 1, /* B */ -1, -1, -1, -2];
        using var image = GanImages.ToImage(chw, 2);
        Assert.Equal(new Rgb24(0, 255, 0), image[0, 0]);
        Assert.Equal(new Rgb24(128, 255, 0), image[1, 0]);
        Assert.Equal(new Rgb24(255, 255, 0), image[0, 1]);
        Assert.Equal(new Rgb24(191, 255, 0), image[1, 1]);
        var back = GanImages.ToTensor(image);
        // One byte step is 2/255 ≈ 0.0078; the out-of-range −2 comes back clamped to −1.
        Assert.Equal([-1, 0, 1, 0.5f, 1, 1, 1, 1, -1, -1, -1, -1], back, (x, y) => Math.Abs(x - y) < 0.005f);
    }

    [Fact]
    public void ToImage_WrongLength_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => GanImages.ToImage(new float[10], 2));
    }

    [Fact]
    public void Upscale_GivesTheAskedSide()
    {
        using var small = new Image<Rgb24>(64, 64);
        using var large = GanImages.Upscale(small, 512);
        Assert.Equal((512, 512), (large.Width, large.Height));
    }

    private static float Norm(float[] v) => MathF.Sqrt(v.Sum(x => x * x));

    private static float[] Normalised(float[] v)
    {
        var n = Norm(v);
        return [.. v.Select(x => x / n)];
    }
}
