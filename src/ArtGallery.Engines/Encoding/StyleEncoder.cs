using ArtGallery.Engines.Onnx;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Engines.Encoding;

/// <summary>One image's embeddings: what it looks like (style) and what it shows (content).</summary>
public sealed record EncodedImage(float[] Style, float[] Content);

/// <summary>Per-channel mean and standard deviation of one layer's activations for one image.</summary>
public sealed record LayerMoments(float[] Means, float[] Stds);

/// <summary>One image's activations of one layer, channel-major (CHW): Values[c·H·W + y·W + x].</summary>
public sealed record ActivationMaps(float[] Values, int Channels, int Height, int Width);

/// <summary>
/// The ImageNet ResNet18 (CNTK export from the ML.NET featurizer package) run by ONNX Runtime with
/// its ReLU activations exposed, turned into a style and a content embedding per image.
/// </summary>
public sealed partial class StyleEncoder : IEngine, IDisposable
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
    private readonly float[] _channelMeans = [];
    private readonly string _inputName = string.Empty;
    private readonly string[] _outputNames = [];

    public StyleEncoder(IOptions<EngineOptions> options, ILogger<StyleEncoder> logger)
        : this(options, logger, [])
    {
    }

    /// <summary>
    /// An encoder that also reports the moments of <paramref name="extraLayers"/> (after the five
    /// standard ones, in <see cref="EncodeMoments"/>): how the evaluation tries other taps.
    /// </summary>
    public static StyleEncoder WithExtraLayers(IOptions<EngineOptions> options, ILogger<StyleEncoder> logger, IReadOnlyList<string> extraLayers) =>
        new(options, logger, extraLayers);

    private StyleEncoder(IOptions<EngineOptions> options, ILogger<StyleEncoder> logger, IReadOnlyList<string> extraLayers)
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
        _channelMeans = EncoderPreprocessing.ChannelMeans(mean);

        var model = OnnxModel.Load(modelPath);
        _inputName = model.InputNames.Single();
        _outputNames = [.. StyleLayers.Select(l => l.Tensor), ContentLayer, .. extraLayers];
        model.Graph.Output.Clear();
        model.AddOutputs(_outputNames).PruneUnusedNodes().FreeInputDimensions("batch", null, "height", "width");

        (_session, Provider) = SessionFactory.Create(model.ToByteArray(), options.Value, logger, nameof(StyleEncoder));
        IsAvailable = true;
    }

    public bool IsAvailable { get; }

    public string? UnavailableReason { get; }

    /// <summary>The execution provider the session runs on.</summary>
    public string Provider { get; } = "none";

    public EngineStatus Status => new("encoder", IsAvailable, Provider, UnavailableReason);

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
    public IReadOnlyList<EncodedImage> Encode(float[] batch, int count) =>
        [.. EncodeMoments(batch, count, EncoderPreprocessing.Size, EncoderPreprocessing.Size).Select(Describe)];

    /// <summary>
    /// Per-channel mean and standard deviation of every tapped layer (the four style layers, then
    /// the content layer) for a batch of prepared tensors of any one size: the raw material of
    /// both embeddings, also used by the evaluation to compare descriptors.
    /// </summary>
    public IReadOnlyList<LayerMoments[]> EncodeMoments(float[] batch, int count, int height, int width)
    {
        using var outputs = Run(batch, count, height, width);
        var results = new LayerMoments[count][];
        for (var n = 0; n < count; n++)
        {
            results[n] = new LayerMoments[_outputNames.Length];
            for (var l = 0; l < _outputNames.Length; l++)
            {
                var channels = (int)outputs[l].GetTensorTypeAndShape().Shape[1];
                var all = outputs[l].GetTensorDataAsSpan<float>();
                var per = all.Length / count;
                var moments = new LayerMoments(new float[channels], new float[channels]);
                StyleDescriptors.ChannelMoments(all.Slice(n * per, per), channels, moments.Means, moments.Stds);
                results[n][l] = moments;
            }
        }

        return results;
    }

    /// <summary>The two embeddings from one image's layer moments (see <see cref="EncodeMoments"/>).</summary>
    public static EncodedImage Describe(LayerMoments[] moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        var style = StyleDescriptors.StyleEmbedding([.. moments.Take(StyleLayers.Count).Select(m => (m.Means, m.Stds))]);
        return new EncodedImage(style, StyleDescriptors.ContentEmbedding(moments[StyleLayers.Count].Means));
    }

    /// <summary>
    /// Normalises an image of any size as the network expects, for fully convolutional use: the
    /// mean image only exists at 224×224, so other sizes subtract its per-channel means.
    /// </summary>
    public void PrepareAnySize(Image<Rgb24> image, Span<float> destination)
    {
        EnsureAvailable();
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width == EncoderPreprocessing.Size && image.Height == EncoderPreprocessing.Size)
        {
            EncoderPreprocessing.WriteBgrMinusMean(image, _meanImage, destination);
            return;
        }

        EncoderPreprocessing.WriteBgrMinusChannelMeans(image, _channelMeans, destination);
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

    /// <summary>
    /// The content layer's maps (stage 4, <see cref="ContentChannels"/> × H/32 × W/32) of a whole
    /// image, not centre-cropped, so every cell lies over a part of the picture a visitor sees: the
    /// input to a class activation map. The shorter side goes to 224 px, as the embeddings see it
    /// (7 cells), the longer to at most twice that; both are rounded to multiples of the stride.
    /// </summary>
    public ActivationMaps ContentMaps(Image<Rgb24> image)
    {
        EnsureAvailable();
        ArgumentNullException.ThrowIfNull(image);
        var (width, height) = ActivationMapSize(image.Width, image.Height);
        using var resized = image.Width == width && image.Height == height
            ? image.Clone()
            : image.Clone(x => x.Resize(new ResizeOptions { Size = new Size(width, height), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
        var tensor = new float[EncoderPreprocessing.Channels * width * height];
        PrepareAnySize(resized, tensor);
        using var outputs = Run(tensor, 1, height, width);
        var content = outputs[Array.IndexOf(_outputNames, ContentLayer)];
        var shape = content.GetTensorTypeAndShape().Shape;
        return new ActivationMaps(content.GetTensorDataAsSpan<float>().ToArray(), (int)shape[1], (int)shape[2], (int)shape[3]);
    }

    /// <summary>
    /// The input size for <see cref="ContentMaps"/>: aspect kept, shorter side 224, longer side at
    /// most 448, both rounded to the network's stride of 32 (at least one cell each way).
    /// </summary>
    public static (int Width, int Height) ActivationMapSize(int width, int height)
    {
        const int stride = 32;
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var scale = Math.Min((double)EncoderPreprocessing.Size / Math.Min(width, height), 2.0 * EncoderPreprocessing.Size / Math.Max(width, height));
        static int Round(double side) => Math.Max(stride, (int)Math.Round(side / stride) * stride);
        return (Round(width * scale), Round(height * scale));
    }

    /// <summary>The ONNX Runtime call alone, with the same outputs fetched: the benchmark's baseline.</summary>
    public void RunRaw(float[] batch, int count) => RunRaw(batch, count, EncoderPreprocessing.Size, EncoderPreprocessing.Size);

    /// <summary>As <see cref="RunRaw(float[], int)"/> at any size (the style-transfer benchmark's baseline).</summary>
    public void RunRaw(float[] batch, int count, int height, int width)
    {
        using var outputs = Run(batch, count, height, width);
    }

    public void Dispose() => _session?.Dispose();

    private IDisposableReadOnlyCollection<OrtValue> Run(float[] batch, int count, int height, int width)
    {
        EnsureAvailable();
        ArgumentNullException.ThrowIfNull(batch);
        var length = EncoderPreprocessing.Channels * height * width;
        if (count <= 0 || height < 32 || width < 32 || batch.Length < count * length)
        {
            throw new ArgumentException($"The batch holds fewer than {count} prepared images.", nameof(batch));
        }

        using var input = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance,
            batch.AsMemory(0, count * length),
            [count, EncoderPreprocessing.Channels, height, width]);
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
