using ArtGallery.Engines.Studio.StyleTransfer;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Studio;

public sealed class TransferMathTests
{
    private static readonly float[] Means = [104f, 117f, 123f];

    [Theory]
    [InlineData(4000, 3000, 512, 512, 384)]
    [InlineData(3000, 4000, 256, 192, 256)]
    [InlineData(1000, 100, 1024, 1024, 96)]
    [InlineData(50, 5000, 256, 32, 256)]
    public void OutputSize_ScalesTheLongerSide_AndRoundsBothToMultiplesOf32(int w, int h, int size, int expectedW, int expectedH) =>
        Assert.Equal((expectedW, expectedH), TransferMath.OutputSize(w, h, size));

    [Fact]
    public void Tensor_RoundTripsPixels_ThroughBgrMinusMeans()
    {
        using var image = new Image<Rgb24>(5, 3);
        image[1, 2] = new Rgb24(200, 10, 30);
        image[4, 0] = new Rgb24(0, 255, 128);
        var tensor = TransferMath.ToTensor(image, Means);
        Assert.Equal(30 - 104f, tensor[(2 * 5) + 1]);
        using var back = TransferMath.ToImage(tensor, 5, 3, Means);
        Assert.Equal(image[1, 2], back[1, 2]);
        Assert.Equal(image[4, 0], back[4, 0]);
    }

    [Fact]
    public void ClampToPixels_KeepsEveryValueDisplayable()
    {
        float[] tensor = [-500, 500, 0, -500, 500, 0];
        TransferMath.ClampToPixels(tensor, Means);
        // Planes of two values each: B [-500, 500], G [0, -500], R [500, 0].
        Assert.Equal([-104, 151, 0, -117, 132, 0], tensor);
    }

    [Fact]
    public void TotalVariationGradient_MatchesFiniteDifferences()
    {
        const int w = 6, h = 5;
        var random = new Random(3);
        var x = Enumerable.Range(0, 3 * w * h).Select(_ => (float)(random.NextDouble() * 100)).ToArray();
        var gradient = new float[x.Length];
        TransferMath.AddTotalVariation(x, w, h, 2f, gradient);
        foreach (var i in new[] { 0, 7, 33, 89 })
        {
            var plus = (float[])x.Clone();
            var minus = (float[])x.Clone();
            plus[i] += 0.1f;
            minus[i] -= 0.1f;
            var numeric = (TransferMath.AddTotalVariation(plus, w, h, 2f, new float[x.Length]) - TransferMath.AddTotalVariation(minus, w, h, 2f, new float[x.Length])) / 0.2f;

            // The loss is quadratic, so central differences are exact up to float32 rounding of ~1e2 sums.
            Assert.Equal(numeric, gradient[i], 2e-3f);
        }
    }

    [Fact]
    public void KeepColours_TakesLuminanceFromTheResult_AndChromaFromThePhoto()
    {
        using var stylised = new Image<Rgb24>(1, 1);
        stylised[0, 0] = new Rgb24(128, 128, 128);
        using var photo = new Image<Rgb24>(1, 1);
        photo[0, 0] = new Rgb24(90, 90, 150);
        using var kept = TransferMath.KeepColours(stylised, photo);
        var p = kept[0, 0];
        var luma = (0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B);
        // ±2 levels: the YCbCr round trip rounds each channel to a byte.
        Assert.InRange(luma, 126, 130);
        Assert.True(p.B > p.R + 40, $"the photo's blue cast is lost: {p}");
    }

    [Fact]
    public void BlendGrams_NormalisesWeights_AndRefusesAllZero()
    {
        var blend = TransferMath.BlendGrams([[1f, 2f], [3f, 6f]], [1f, 3f]);
        Assert.Equal([2.5f, 5f], blend);
        Assert.Throws<ArgumentException>(() => TransferMath.BlendGrams([[1f]], [0f]));
    }

    [Fact]
    public void Adam_FirstStep_MovesEachParameterByTheLearningRate_AgainstItsGradient()
    {
        var adam = new AdamOptimizer(2, 0.5f);
        float[] x = [1f, 1f];
        adam.Step(x, [3f, -0.001f]);
        Assert.Equal(0.5f, x[0], 1e-4f);
        Assert.Equal(1.5f, x[1], 1e-3f);
    }

    [Fact]
    public void Settings_RejectAbsurdValues_WithAMessage()
    {
        Assert.Contains("Size", new TransferSettings { Size = 4096 }.Problem(), StringComparison.Ordinal);
        Assert.Contains("Steps", new TransferSettings { Steps = 0 }.Problem(), StringComparison.Ordinal);
        Assert.Contains("Strength", new TransferSettings { Strength = float.NaN }.Problem(), StringComparison.Ordinal);
        Assert.Contains("Coarse", new TransferSettings { CoarseFraction = 1 }.Problem(), StringComparison.Ordinal);
        Assert.Null(new TransferSettings().Problem());
    }
}
