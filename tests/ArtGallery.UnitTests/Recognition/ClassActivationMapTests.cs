using ArtGallery.Core.Recognition;
using ArtGallery.Engines.Encoding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Recognition;

public class ClassActivationMapTests
{
    [Fact]
    public void Compute_HandBuiltMapsAndWeights_GiveTheHandWorkedMap()
    {
        // Two channels over a 1 × 2 grid: channel 0 fires in the left cell, channel 1 in the right.
        // pooled p = (2, 0.5), N = √2.5; cell x gets Σⱼ wⱼ·Aⱼ(x) / (2·√pⱼ·N).
        var maps = new ActivationMaps([4f, 0f, 0f, 1f], Channels: 2, Height: 1, Width: 2);

        var grid = ClassActivationMap.Compute(maps, [2f, -1f]);

        Assert.Equal(2 * 4 / (2 * Math.Sqrt(2) * Math.Sqrt(2.5)), grid[0], 5); // 1.78885
        Assert.Equal(-1 * 1 / (2 * Math.Sqrt(0.5) * Math.Sqrt(2.5)), grid[1], 5); // -0.44721
        Assert.Equal([1f, 0f], ClassActivationMap.Evidence(grid));
    }

    [Fact]
    public void Compute_CellsSumToTheContentPartOfTheLogit()
    {
        var (maps, weights) = RandomMapsAndWeights(seed: 3, channels: 512, height: 7, width: 9);

        var grid = ClassActivationMap.Compute(maps, weights);

        var content = StyleDescriptors.ContentEmbedding(Pooled(maps));
        var logit = weights.Zip(content, (w, e) => (double)w * e).Sum();
        // Float sums over 63 cells and 512 channels in a different order: 1e-4 of the logit's scale.
        Assert.Equal(logit, grid.Sum(v => (double)v), 4);
    }

    [Fact]
    public void Compute_IgnoresTheMapsOverallScale_AsTheL2NormalisedEmbeddingDoes()
    {
        var (maps, weights) = RandomMapsAndWeights(seed: 5, channels: 16, height: 7, width: 7);
        var brighter = maps with { Values = [.. maps.Values.Select(v => v * 10f)] };

        Assert.Equal(ClassActivationMap.Compute(maps, weights), ClassActivationMap.Compute(brighter, weights), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Compute_AllZeroMaps_GiveAnAllZeroMap()
    {
        var grid = ClassActivationMap.Compute(new ActivationMaps(new float[2 * 4], 2, 2, 2), [1f, -1f]);
        Assert.All(grid, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void RawWeights_UndoTheStandardisation_SoTheMapSumsToTheHeadsOwnContentLogit()
    {
        // A head trained on [3 style, 4 content] features whose scales and offsets differ widely:
        // standardisation matters, and the map must see the weights on the features as stored.
        var random = new Random(9);
        var (features, labels) = (new List<float[]>(), new List<string>());
        for (var i = 0; i < 120; i++)
        {
            var label = i % 2 == 0 ? "left" : "right";
            var x = new float[7];
            for (var d = 0; d < 7; d++)
            {
                var scale = d % 2 == 0 ? 2f : 0.1f;
                x[d] = (d * 0.1f) + (scale * (float)random.NextDouble()) + (label == "left" && d >= 3 ? scale : 0f);
            }

            features.Add(x);
            labels.Add(label);
        }

        var head = SoftmaxClassifier.Train(features, labels, new SoftmaxOptions { CalibrationFolds = 0 });
        var (maps, _) = RandomMapsAndWeights(seed: 11, channels: 4, height: 3, width: 5);
        var content = StyleDescriptors.ContentEmbedding(Pooled(maps));
        float[] style = [1f, 20f, -4f];

        var grid = ClassActivationMap.Compute(maps, head.RawWeights(0).AsSpan(3));

        // The content part of the logit: the logit with this content less the logit with content zero.
        var withContent = head.Logits(RecogniserFeatures.From(style, content))[0];
        var withoutContent = head.Logits(RecogniserFeatures.From(style, new float[4]))[0];
        // Float logits of a few tens: a thousandth of their difference's scale.
        Assert.Equal(withContent - withoutContent, grid.Sum(), 1e-3 * Math.Max(1, Math.Abs(withContent - withoutContent)));
    }

    [Fact]
    public void Upsample_PutsCellCentresAtTheCentresOfTheirAreas_AndClampsAtTheEdges()
    {
        Assert.Equal([0f, 0.25f, 0.75f, 1f], ClassActivationMap.Upsample([0f, 1f], height: 1, width: 2, outWidth: 4, outHeight: 1));
    }

    [Fact]
    public void OverlayPng_IsTheInputsSize_ClearWhereThereIsNoEvidence_AndRedWhereItIsStrongest()
    {
        var png = ClassActivationMap.OverlayPng([0f, 0f, 0f, 1f], height: 2, width: 2);

        using var image = Image.Load<Rgba32>(png);
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Equal(0, image[2, 2].A);
        Assert.Equal(new Rgba32(255, 0, 0, 180), image[61, 61]);
    }

    private static float[] Pooled(ActivationMaps maps)
    {
        var cells = maps.Height * maps.Width;
        return [.. Enumerable.Range(0, maps.Channels).Select(j => maps.Values.Skip(j * cells).Take(cells).Sum() / cells)];
    }

    /// <summary>ReLU-like maps (about a third of the activations zero, one channel dead) and weights of both signs.</summary>
    private static (ActivationMaps Maps, float[] Weights) RandomMapsAndWeights(int seed, int channels, int height, int width)
    {
        var random = new Random(seed);
        var values = new float[channels * height * width];
        for (var i = height * width; i < values.Length; i++)
        {
            values[i] = Math.Max(0f, (float)random.NextDouble() - 0.33f) * 5f;
        }

        var weights = Enumerable.Range(0, channels).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        return (new ActivationMaps(values, channels, height, width), weights);
    }
}
