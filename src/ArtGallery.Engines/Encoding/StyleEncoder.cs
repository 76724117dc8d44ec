using ArtGallery.Engines.Onnx;
using ArtGallery.Engines.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Engines.Encoding;

/// <summary>One image's embeddings: what it looks like (style) and what it shows (content).</summary>
public sealed record EncodedImage(float[] Style, float[] Content);

/// <summary>
/// The ImageNet ResNet18 (CNTK export from the ML.NET featurizer package) run by ONNX Runtime with
/// its ReLU activations exposed, turned into a style and a content embedding per image.
/// </summary>
public sealed partial class StyleEncoder : IDisposable
{
    public const string ModelId = "resnet18-imagenet";
    public const string MeanImageModelId = "resnet18-mean-image";

    /// <summary>
    /// Recorded with every embedding: changing the model file or the descriptor maths changes it,
    /// and the embedding worker re-embeds every work whose stored version differs.
    /// </summary>
    public const string Version = "resnet18-cntk-e2552f19/msd4-sqrt-l2/v1";

    /// <summary>ReLU outputs read for the style statistics: conv1, and the ends of stages 1–3.</summary>
    public static readonly IReadOnlyList<(string Tensor, int Channels)> StyleLayers =
    [
        ("ReLU253_Output_0", 64),
        ("ReLU283_Output_0", 64),
        ("ReLU315_Output_0", 128),
        ("ReLU347_Output_0", 256),
    ];

    /// <summary>The last ReLU (stage 4, before the model's own 7×7 average pool).</summary>
    public const string ContentLayer = "ReLU393_Output_0";
    public const int ContentChannels = 512;

    public static readonly int StyleDimensions = StyleLayers.Sum(l => 2 * l.Channels);
    public static int ContentDimensions => ContentChannels;

    private readonly InferenceSession? _session;
    private readonly float[] _meanImage = [];
    private readonly string _inputName = string.Empty;
    private readonly string[] _outputNames = [];

    public StyleEncoder(IOptions<EngineOptions> options, ILogger<StyleEncoder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = ModelCatalog.FromOptions(options.Value);
        if (!catalog.TryResolve(ModelId, out var modelPath, out var problem)
            || !catalog.TryResolve(MeanImageModelId, out var meanPath, out problem))
        {
            UnavailableReason = problem;
            LogUnavailable(logger, problem);
            return;
        }

        var (mean, _) = OnnxModel.Load(meanPath).ReadFloatInitializer("MeanImage");
        _meanImage = mean;

        var model = OnnxModel.Load(modelPath);
        _inputName = model.InputNames.Single();
        _outputNames = [.. StyleLayers.Select(l => l.Tensor), ContentLayer];
        model.Graph.Output.Clear();
        model.AddOutputs(_outputNames).PruneUnusedNodes().FreeInputDimensions("batch", null, "height", "width");

        (_session, Provider) = SessionFactory.Create(model.ToByteArray(), options.Value, logger, nameof(StyleEncoder));
        IsAvailable = true;
    }

    public bool IsAvailable { get; }

    public string? UnavailableReason { get; }

    /// <summary>The execution provider the session runs on.</summary>
    public string Provider { get; } = "none";

    /// <summary>Centre-crops, resizes and normalises one image into <paramref name="destination"/>.</summary>
    public void Prepare(Image<Rgb24> image, Span<float> destination)
    {
        EnsureAvailable();
        using var square = EncoderPreprocessing.CenterCropResize(image);
        EncoderPreprocessing.WriteBgrMinusMean(square, _meanImage, destination);
    }

    /// <summary>As <see cref="Prepare"/>, but crops and resizes <paramref name="image"/> itself (no copy).</summary>
    public void PrepareInPlace(Image<Rgb24> image, Span<float> destination)
    {
        EnsureAvailable();
        EncoderPreprocessing.CenterCropResizeInPlace(image);
        EncoderPreprocessing.WriteBgrMinusMean(image, _meanImage, destination);
    }

    /// <summary>Embeds a batch of prepared tensors (<paramref name="count"/> × 3 × 224 × 224).</summary>
    public IReadOnlyList<EncodedImage> Encode(float[] batch, int count)
    {
        using var outputs = Run(batch, count);
        var results = new EncodedImage[count];
        for (var n = 0; n < count; n++)
        {
            var layers = new List<(float[] Means, float[] Stds)>(StyleLayers.Count);
            for (var l = 0; l < StyleLayers.Count; l++)
            {
                var channels = StyleLayers[l].Channels;
                var all = outputs[l].GetTensorDataAsSpan<float>();
                var per = all.Length / count;
                var means = new float[channels];
                var stds = new float[channels];
                StyleDescriptors.ChannelMoments(all.Slice(n * per, per), channels, means, stds);
                layers.Add((means, stds));
            }

            var deep = outputs[StyleLayers.Count].GetTensorDataAsSpan<float>();
            var deepPer = deep.Length / count;
            var pooled = new float[ContentChannels];
            var unused = new float[ContentChannels];
            StyleDescriptors.ChannelMoments(deep.Slice(n * deepPer, deepPer), ContentChannels, pooled, unused);
            results[n] = new EncodedImage(StyleDescriptors.StyleEmbedding(layers), StyleDescriptors.ContentEmbedding(pooled));
        }

        return results;
    }

    /// <summary>Embeds images of any size (convenience for single uploads and tests).</summary>
    public IReadOnlyList<EncodedImage> Encode(IReadOnlyList<Image<Rgb24>> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var batch = new float[images.Count * EncoderPreprocessing.TensorLength];
        for (var i = 0; i < images.Count; i++)
        {
            Prepare(images[i], batch.AsSpan(i * EncoderPreprocessing.TensorLength, EncoderPreprocessing.TensorLength));
        }

        return Encode(batch, images.Count);
    }

    /// <summary>The ONNX Runtime call alone, with the same outputs fetched: the benchmark's baseline.</summary>
    public void RunRaw(float[] batch, int count)
    {
        using var outputs = Run(batch, count);
    }

    public void Dispose() => _session?.Dispose();

    private IDisposableReadOnlyCollection<OrtValue> Run(float[] batch, int count)
    {
        EnsureAvailable();
        ArgumentNullException.ThrowIfNull(batch);
        if (count <= 0 || batch.Length < count * EncoderPreprocessing.TensorLength)
        {
            throw new ArgumentException($"The batch holds fewer than {count} prepared images.", nameof(batch));
        }

        using var input = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance,
            batch.AsMemory(0, count * EncoderPreprocessing.TensorLength),
            [count, EncoderPreprocessing.Channels, EncoderPreprocessing.Size, EncoderPreprocessing.Size]);
        using var runOptions = new RunOptions();
        return _session!.Run(runOptions, [_inputName], [input], _outputNames);
    }

    private void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"The style encoder is unavailable: {UnavailableReason}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Style encoder unavailable: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string problem);
}
