using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.StyleTransfer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ArtGallery.UnitTests.Studio;

/// <summary>The generated gradient graph against finite differences, on the real ResNet18 weights.</summary>
public sealed class TransferGradientTests(ITestOutputHelper output)
{
    private static StyleTransferEngine NewEngine(bool softmax = false) => new(
        Options.Create(new EngineOptions { ExecutionProvider = ExecutionProviderPreference.Cpu }),
        NullLogger<StyleTransferEngine>.Instance,
        TransferLayers.Default with { SoftmaxStyle = softmax });

    private static float[] RandomImage(int seed, int length, float amplitude)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => amplitude * ((2 * (float)random.NextDouble()) - 1))];
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * (double)b[i];
        }

        return sum;
    }

    private static float Loss(GradientProbe probe, float[] x)
    {
        var (style, content, _) = probe.Evaluate(x);
        return style + content;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradient_MatchesCentralDifferences_OnRandomSmallImages(bool softmax)
    {
        using var engine = NewEngine(softmax);
        Assert.True(engine.IsAvailable, engine.UnavailableReason);
        const int height = 64, width = 96;
        var length = 3 * height * width;
        using var probe = engine.Probe(height, width, RandomImage(1, length, 100), RandomImage(2, length, 100));
        var x = RandomImage(3, length, 100);
        var gradient = probe.Evaluate(x).Gradient;
        Assert.Contains(gradient, g => g != 0);

        double worst = 0;

        // Directional derivatives along the gradient plus random noise: every weight and op takes
        // part, and the derivative is large enough that float32 rounding does not dominate it.
        var rms = (float)Math.Sqrt(Dot(gradient, gradient) / length);
        for (var k = 0; k < 6; k++)
        {
            var v = RandomImage(10 + k, length, 1).Zip(gradient, (noise, g) => noise + (g / rms)).ToArray();
            const float epsilon = 0.02f;
            var plus = x.Zip(v, (a, b) => a + (epsilon * b)).ToArray();
            var minus = x.Zip(v, (a, b) => a - (epsilon * b)).ToArray();
            var numeric = (Loss(probe, plus) - (double)Loss(probe, minus)) / (2 * epsilon);
            var analytic = Dot(gradient, v);
            var relative = Math.Abs(numeric - analytic) / Math.Max(Math.Abs(numeric), Math.Abs(analytic));
            output.WriteLine($"direction {k}: numeric {numeric:E4} analytic {analytic:E4} relative error {relative:E2}");
            worst = Math.Max(worst, relative);
        }

        // Single pixels with the largest gradients, one per channel and corner of the image.
        foreach (var i in gradient.Select((g, i) => (g, i)).OrderByDescending(p => Math.Abs(p.g)).Take(8).Select(p => p.i))
        {
            const float epsilon = 0.5f;
            var plus = (float[])x.Clone();
            var minus = (float[])x.Clone();
            plus[i] += epsilon;
            minus[i] -= epsilon;
            var numeric = (Loss(probe, plus) - (double)Loss(probe, minus)) / (2 * epsilon);
            var relative = Math.Abs(numeric - gradient[i]) / Math.Max(Math.Abs(numeric), Math.Abs(gradient[i]));
            output.WriteLine($"pixel {i}: numeric {numeric:E4} analytic {gradient[i]:E4} relative error {relative:E2}");
            worst = Math.Max(worst, relative);
        }

        output.WriteLine($"gradient check (softmax {softmax}): max relative error {worst:E2}");

        // 2e-2: float32 losses (about 7 digits) differenced over a small step, plus ReLU units whose
        // sign flips inside the step; a wrong adjoint (transposed kernel, missed branch) is off by O(1).
        Assert.True(worst < 2e-2, $"max relative error {worst:E2}");
    }

    [Fact]
    public void StyleLoss_FallsSteadily_OverTheFirstSteps()
    {
        using var engine = NewEngine();
        var plan = DemoCatalogue.Plan(12, 42);
        using var content = DemoPainter.Paint(plan[0]);
        using var style = DemoPainter.Paint(plan.First(w => w.Movement != plan[0].Movement));
        var losses = new List<float>();
        using var result = engine.Transfer(
            content,
            [new StyleSource(style, 1)],
            new TransferSettings { Size = 256, Steps = 30 },
            p => losses.Add(p.StyleLoss + p.ContentLoss));

        output.WriteLine(string.Join(" ", losses.Select(l => l.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));

        // "Monotonically-ish": Adam may overshoot on a step, but every 5-step window ends lower than it began.
        for (var i = 5; i < losses.Count; i += 5)
        {
            Assert.True(losses[i] < losses[i - 5], $"loss rose from step {i - 5} to {i}: {losses[i - 5]} → {losses[i]}");
        }

        Assert.True(result.FinalStyleLoss < 0.5f * result.InitialStyleLoss, $"{result.InitialStyleLoss} → {result.FinalStyleLoss}");
    }

    [Fact]
    public void Transfer_PaletteFirst_TakesTheStylesColours_AndKeepColoursDoesNot()
    {
        using var engine = NewEngine();
        var plan = DemoCatalogue.Plan(12, 42);
        using var content = DemoPainter.Paint(plan[0]);
        using var style = DemoPainter.Paint(plan.First(w => w.Movement != plan[0].Movement));
        var settings = new TransferSettings { Size = 256, Steps = 2 };
        using var painted = engine.Transfer(content, [new StyleSource(style, 1)], settings);
        using var kept = engine.Transfer(content, [new StyleSource(style, 1)], settings with { KeepColours = true });
        using var photo = TransferMath.Fill(content, painted.Image.Width, painted.Image.Height);

        output.WriteLine($"colour chi-square to the style: photo {Palette.ChiSquare(photo, style):F3}, painted {Palette.ChiSquare(painted.Image, style):F3}, keep colours {Palette.ChiSquare(kept.Image, style):F3}");
        var target = MeanLab(style);
        var (before, after, keptDistance) = (Distance(MeanLab(photo), target), Distance(MeanLab(painted.Image), target), Distance(MeanLab(kept.Image), target));
        output.WriteLine($"mean Lab distance to the style: photo {before:F2}, painted {after:F2}, keep colours {keptDistance:F2}");

        // Quantile matching makes the Lab marginals (so their means) the style's; two steps of at
        // most 8 levels each barely move them again. Keeping colours skips the step.
        Assert.True(after < 0.25 * before, $"palette step: {before:F2} → {after:F2}");
        Assert.True(keptDistance > 0.5 * before, $"keep colours moved the palette: {before:F2} → {keptDistance:F2}");
    }

    private static double[] MeanLab(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image)
    {
        var lab = Palette.ToLab(image);
        var n = lab.Length / 3;
        return [.. Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, n).Average(i => (double)lab[(3 * i) + c]))];
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    [Fact]
    public void Transfer_CoarseToFine_EndsAtTheFullSize_WithEveryStepReported()
    {
        using var engine = NewEngine();
        using var content = SyntheticPhoto.Landscape();
        using var style = DemoPainter.Paint(DemoCatalogue.Plan(8, 42)[7]);
        var steps = new List<int>();
        using var result = engine.Transfer(content, [new StyleSource(style, 1)], new TransferSettings { Size = 256, Steps = 6, CoarseFraction = 0.5f }, p => steps.Add(p.Step));

        Assert.Equal(TransferMath.OutputSize(content.Width, content.Height, 256), (result.Image.Width, result.Image.Height));
        Assert.Equal([1, 2, 3, 4, 5, 6], steps);
        Assert.True(result.FinalStyleLoss < result.InitialStyleLoss, $"{result.InitialStyleLoss} → {result.FinalStyleLoss}");
    }
}
