using System.Text.Json;
using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Onnx;
using ArtGallery.Engines.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.UnitTests.Engines;

/// <summary>The real ResNet18 under ONNX Runtime (CPU), on generated demo paintings.</summary>
public sealed class StyleEncoderTests : IClassFixture<StyleEncoderTests.EncoderFixture>
{
    private readonly StyleEncoder _encoder;

    public StyleEncoderTests(EncoderFixture fixture) => _encoder = fixture.Encoder;

    public sealed class EncoderFixture : IDisposable
    {
        public StyleEncoder Encoder { get; } = new(
            Options.Create(new EngineOptions { ExecutionProvider = ExecutionProviderPreference.Cpu }),
            NullLogger<StyleEncoder>.Instance);

        public void Dispose() => Encoder.Dispose();
    }

    [Fact]
    public void Encoder_LoadsTheVerifiedModel_OnTheCpu()
    {
        Assert.True(_encoder.IsAvailable, _encoder.UnavailableReason);
        Assert.Equal(SessionFactory.CpuProvider, _encoder.Provider);
    }

    [Fact]
    public void Embeddings_HaveTheStoredDimensions_AndUnitLength()
    {
        using var image = DemoPainter.Paint(DemoCatalogue.Plan(1, 42)[0]);
        var encoded = _encoder.Encode([image])[0];
        Assert.Equal(1024, encoded.Style.Length);
        Assert.Equal(512, encoded.Content.Length);
        Assert.Equal(1f, MathF.Sqrt(encoded.Style.Sum(v => v * v)), 4);
        Assert.Equal(1f, MathF.Sqrt(encoded.Content.Sum(v => v * v)), 4);
    }

    [Fact]
    public void Embeddings_AreDeterministic_AndIndependentOfBatching()
    {
        using var images = new PaintedImages(DemoCatalogue.Plan(3, 42));
        var batched = _encoder.Encode(images);
        var single = _encoder.Encode([images[1]])[0];
        // Batched and single runs take different kernels' tiling; 1e-5 allows float re-association only.
        Assert.Equal(single.Style, batched[1].Style, (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.Equal(single.Content, batched[1].Content, (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    // encoder-reference.json is a snapshot of this encoder's own output (its "provenance" field), a regression guard, not an independent reference.
    [Fact]
    public void Embeddings_MatchStoredReferenceValues()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Engines", "encoder-reference.json")));
        var root = json.RootElement;
        Assert.Equal(StyleEncoder.Version, root.GetProperty("encoderVersion").GetString());
        var plan = DemoCatalogue.Plan(12, root.GetProperty("seed").GetInt32());
        var styleStride = root.GetProperty("styleStride").GetInt32();
        var contentStride = root.GetProperty("contentStride").GetInt32();
        foreach (var work in root.GetProperty("works").EnumerateArray())
        {
            using var image = DemoPainter.Paint(plan[work.GetProperty("index").GetInt32()]);
            var encoded = _encoder.Encode([image])[0];
            var expectedStyle = work.GetProperty("style").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var expectedContent = work.GetProperty("content").EnumerateArray().Select(e => e.GetSingle()).ToArray();

            // 2e-4 absolute on unit-length vectors: room for ORT kernel differences between CPUs
            // (AVX2 vs AVX-512 sum orders), far below the gaps between different works (> 1e-2).
            for (var i = 0; i < expectedStyle.Length; i++)
            {
                Assert.True(Math.Abs(expectedStyle[i] - encoded.Style[i * styleStride]) < 2e-4f, $"style[{i * styleStride}]: {encoded.Style[i * styleStride]} vs {expectedStyle[i]}");
            }

            for (var i = 0; i < expectedContent.Length; i++)
            {
                Assert.True(Math.Abs(expectedContent[i] - encoded.Content[i * contentStride]) < 2e-4f, $"content[{i * contentStride}]: {encoded.Content[i * contentStride]} vs {expectedContent[i]}");
            }
        }
    }

    [Fact]
    public void StyleEmbedding_SeparatesMovements_BetterThanSubjects()
    {
        // Two works of the same generated movement are closer in style than two works of the same subject.
        var plan = DemoCatalogue.Plan(40, 42);
        using var images = new PaintedImages(plan);
        var encoded = _encoder.Encode(images);
        double sameMovement = 0, sameSubjectOtherMovement = 0;
        int a = 0, b = 0;
        for (var i = 0; i < plan.Count; i++)
        {
            for (var j = i + 1; j < plan.Count; j++)
            {
                var s = StyleDescriptors.CosineSimilarity(encoded[i].Style, encoded[j].Style);
                if (plan[i].Movement == plan[j].Movement)
                {
                    sameMovement += s;
                    a++;
                }
                else if (plan[i].Subject == plan[j].Subject)
                {
                    sameSubjectOtherMovement += s;
                    b++;
                }
            }
        }

        Assert.True(sameMovement / a > sameSubjectOtherMovement / b, $"{sameMovement / a:F4} vs {sameSubjectOtherMovement / b:F4}");
    }

    [Fact]
    public void EditedModel_ExposesTheTappedLayers_WithFreeSpatialSize()
    {
        var model = OnnxModel.Load(Path.Combine(AppContext.BaseDirectory, "models", "ResNet18.onnx"));
        Assert.Equal(19, model.OutputsOf("Relu").Count);
        model.Graph.Output.Clear();
        model.AddOutputs([StyleEncoder.ContentLayer]).PruneUnusedNodes().FreeInputDimensions("batch", null, "height", "width");

        var input = model.Graph.Input.Single();
        var dims = input.Type.TensorType.Shape.Dim;
        Assert.Equal("batch", dims[0].DimParam);
        Assert.Equal(3, dims[1].DimValue);
        Assert.Equal("height", dims[2].DimParam);
        Assert.Empty(model.Graph.ValueInfo);
        Assert.Equal([StyleEncoder.ContentLayer], model.OutputNames);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "AveragePool");

        // ONNX Runtime accepts the edited graph at a size the export never saw.
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model.ToByteArray());
        using var tensor = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(new float[2 * 3 * 160 * 96], [2, 3, 160, 96]);
        using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), [input.Name], [tensor], [StyleEncoder.ContentLayer]);
        Assert.Equal([2L, 512, 5, 3], outputs[0].GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void ContentMaps_AtTheEncodersOwnSize_PoolToTheStoredContentEmbedding()
    {
        using var painted = DemoPainter.Paint(DemoCatalogue.Plan(2, 42)[1]);
        using var square = EncoderPreprocessing.CenterCropResize(painted);

        var maps = _encoder.ContentMaps(square);

        Assert.Equal((512, 7, 7), (maps.Channels, maps.Height, maps.Width));
        var pooled = Enumerable.Range(0, 512).Select(c => maps.Values.AsSpan(c * 49, 49).ToArray().Sum() / 49).ToArray();
        // Same network, same input tensor; 1e-5 allows float re-association only.
        Assert.Equal(_encoder.Encode([square])[0].Content, StyleDescriptors.ContentEmbedding(pooled), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void ContentMaps_OfAWideImage_CoverItWholeOnAWiderGrid()
    {
        using var painted = DemoPainter.Paint(DemoCatalogue.Plan(1, 42)[0]);
        using var wide = painted.Clone(x => x.Resize(600, 300));

        var maps = _encoder.ContentMaps(wide);

        Assert.Equal((512, 7, 14), (maps.Channels, maps.Height, maps.Width));
        Assert.Contains(maps.Values, v => v > 0);
    }

    [Theory]
    [InlineData(300, 300, 224, 224)]
    [InlineData(600, 300, 448, 224)]
    [InlineData(256, 384, 224, 320)] // 224 × 336: 10.5 cells rounds to even, 10
    [InlineData(1000, 200, 448, 96)] // the long side caps the scale: 89.6 px rounds to 3 cells
    [InlineData(5000, 10, 448, 32)] // never less than one cell
    public void ActivationMapSize_KeepsTheAspect_OnTheNetworksStride(int width, int height, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), StyleEncoder.ActivationMapSize(width, height));
    }

    [Fact]
    public void AddOutputs_RejectsATensorNoNodeProduces()
    {
        var model = OnnxModel.Load(Path.Combine(AppContext.BaseDirectory, "models", "ResNet18.onnx"));
        Assert.Throws<ArgumentException>(() => model.AddOutputs(["NoSuchTensor"]));
    }

    /// <summary>Demo paintings that are disposed together.</summary>
    private sealed class PaintedImages(IEnumerable<DemoWork> works) : List<SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>>(works.Select(DemoPainter.Paint)), IDisposable
    {
        public void Dispose() => ForEach(i => i.Dispose());
    }
}
