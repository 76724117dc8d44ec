using System.Diagnostics;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Onnx;

namespace ArtGallery.Engines.Studio.StyleTransfer;

public sealed record StyleSource(Image<Rgb24> Image, float Weight);

/// <summary>One step's figures; <see cref="Preview"/> renders the current image when asked.</summary>
public sealed record TransferProgress(int Step, int Steps, float StyleLoss, float ContentLoss, Func<Image<Rgb24>> Preview);

public sealed record TransferResult(
    Image<Rgb24> Image,
    float InitialStyleLoss,
    float FinalStyleLoss,
    float FinalContentLoss,
    int Steps,
    double StepMilliseconds) : IDisposable
{
    public void Dispose() => Image.Dispose();

    /// <summary>1 − final/initial style loss, where initial is the unmodified photo's and final the delivered image's.</summary>
    public float StyleLossDrop => InitialStyleLoss <= 0 ? 0 : 1 - (FinalStyleLoss / InitialStyleLoss);

    /// <summary>The result's content change from the unmodified photo: mean((F − F_photo)²)/mean(F_photo²) at the content layer.</summary>
    public float ContentLossRatio { get; init; }
}

/// <summary>
/// Gatys-style neural style transfer on the gallery's ResNet18: the gradient graph
/// (<see cref="TransferGraphBuilder"/>) runs in ONNX Runtime and Adam runs here. One session per
/// image size, because the graph is static (a few sizes are cached).
/// </summary>
public sealed partial class StyleTransferEngine : IEngine, IDisposable
{
    private const int CachedSizes = 4;

    private readonly EngineOptions _options;
    private readonly ILogger<StyleTransferEngine> _logger;
    private readonly EncoderNetwork? _network;
    private readonly float[] _bgrMeans = [];
    private readonly Lock _gate = new();
    private readonly LinkedList<SizedSession> _sessions = new();

    public StyleTransferEngine(IOptions<EngineOptions> options, ILogger<StyleTransferEngine> logger)
        : this(options, logger, TransferLayers.Default)
    {
    }

    public StyleTransferEngine(IOptions<EngineOptions> options, ILogger<StyleTransferEngine> logger, TransferLayers layers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        Layers = layers;
        var catalog = ModelCatalog.FromOptions(_options);
        if (!catalog.TryResolve(StyleEncoder.ModelId, out var modelPath, out var problem)
            || !catalog.TryResolve(StyleEncoder.MeanImageModelId, out var meanPath, out problem))
        {
            UnavailableReason = problem;
            LogUnavailable(logger, problem);
            return;
        }

        _bgrMeans = EncoderPreprocessing.ChannelMeans(OnnxModel.Load(meanPath).ReadFloatInitializer("MeanImage").Values);
        _network = EncoderNetwork.Read(OnnxModel.Load(modelPath), [.. layers.StyleLayers, layers.ContentLayer]);
        IsAvailable = true;

        // A smallest-size graph at start: the execution provider is known (and logged) before the first render.
        Release(Lease(TransferGraphBuilder.SizeMultiple, TransferGraphBuilder.SizeMultiple));
    }

    public bool IsAvailable { get; }

    public string? UnavailableReason { get; }

    public TransferLayers Layers { get; }

    /// <summary>The execution provider the sessions run on ("none" when unavailable).</summary>
    public string Provider { get; private set; } = "none";

    public EngineStatus Status => new("style-transfer", IsAvailable, Provider, UnavailableReason);

    public ReadOnlySpan<float> BgrMeans => _bgrMeans;

    /// <summary>
    /// Paints <paramref name="content"/> in the blended style of <paramref name="styles"/>.
    /// Synchronous and CPU/GPU bound: callers run it on a worker thread.
    /// </summary>
    public TransferResult Transfer(
        Image<Rgb24> content,
        IReadOnlyList<StyleSource> styles,
        TransferSettings settings,
        Action<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(styles);
        ArgumentNullException.ThrowIfNull(settings);
        EnsureAvailable();
        if (settings.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        if (styles.Count is < 1 or > 3)
        {
            throw new ArgumentException("Choose one, two or three styles.", nameof(styles));
        }

        var (width, height) = TransferMath.OutputSize(content.Width, content.Height, settings.Size);
        using var photo = TransferMath.Fill(content, width, height);
        var palette = styles.MaxBy(s => s.Weight)!.Image;
        var matchBefore = !settings.KeepColours && settings.Palette is PaletteMatch.Before or PaletteMatch.Both;
        var matchAfter = !settings.KeepColours && settings.Palette is PaletteMatch.After or PaletteMatch.Both;
        using var start = matchBefore ? Palette.Match(photo, palette, 1f, settings.PaletteRotations) : photo.Clone();
        var rematchStep = matchBefore && settings.RematchAt > 0 ? (int)Math.Round(settings.Steps * settings.RematchAt) : -1;
        var colourTarget = !settings.KeepColours && settings.ColourWeight > 0 ? ColourMoments.Of(TransferMath.ToTensor(palette, _bgrMeans)) : null;

        // Coarse to fine: the first stage at half the sides lays out large strokes cheaply, the
        // last refines them at full size. The style is filled to each stage's size, so it is seen
        // at the scale of the output.
        var coarseSteps = (int)Math.Round(settings.Steps * settings.CoarseFraction);
        var (coarseWidth, coarseHeight) = (RoundDown(width / 2), RoundDown(height / 2));
        var stages = coarseSteps > 0 && coarseSteps < settings.Steps && coarseWidth < width
            ? new[] { (Width: coarseWidth, Height: coarseHeight, Steps: coarseSteps), (Width: width, Height: height, Steps: settings.Steps - coarseSteps) }
            : [(Width: width, Height: height, Steps: settings.Steps)];
        float[]? x = null;
        var (done, previousWidth, previousHeight) = (0, 0, 0);
        var stopwatch = Stopwatch.StartNew();
        foreach (var stage in stages)
        {
            var lease = Lease(stage.Height, stage.Width);
            try
            {
                using var evaluator = new GradientEvaluator(lease.Session, lease.Graph);
                using var stagePhoto = TransferMath.Fill(start, stage.Width, stage.Height);
                var contentTensor = TransferMath.ToTensor(stagePhoto, _bgrMeans);
                SetTargets(evaluator, contentTensor, styles, stage.Width, stage.Height, settings);
                if (x is null)
                {
                    x = (float[])contentTensor.Clone();
                    var random = new Random(settings.Seed);
                    for (var i = 0; i < x.Length; i++)
                    {
                        x[i] += settings.StartNoise * ((2 * (float)random.NextDouble()) - 1);
                    }
                }
                else
                {
                    using var previous = TransferMath.ToImage(x, previousWidth, previousHeight, _bgrMeans);
                    using var upsampled = TransferMath.Fill(previous, stage.Width, stage.Height);
                    x = TransferMath.ToTensor(upsampled, _bgrMeans);
                }

                TransferMath.ClampToPixels(x, _bgrMeans);
                var adam = new AdamOptimizer(x.Length, settings.LearningRate);
                var current = x;
                for (var step = 0; step < stage.Steps; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (done == rematchStep)
                    {
                        // The Gram loss drifts the colours back towards the photo's; re-imposing the palette
                        // part-way leaves the remaining steps to restore the texture.
                        using var drifted = TransferMath.ToImage(current, stage.Width, stage.Height, _bgrMeans);
                        using var rematched = Palette.Match(drifted, palette, 1f, settings.PaletteRotations);
                        TransferMath.ToTensor(rematched, _bgrMeans).CopyTo(current, 0);
                    }

                    var (styleLoss, contentLoss, gradient) = evaluator.Evaluate(current);
                    TransferMath.AddTotalVariation(current, stage.Width, stage.Height, settings.TotalVariationWeight, gradient);
                    if (colourTarget is not null)
                    {
                        ColourMoments.AddLoss(current, colourTarget, settings.ColourWeight, gradient);
                    }

                    adam.Step(current, gradient);
                    TransferMath.ClampToPixels(current, _bgrMeans);
                    done++;
                    var (w, h) = (stage.Width, stage.Height);
                    progress?.Invoke(new TransferProgress(done, settings.Steps, styleLoss, contentLoss, () => TransferMath.ToImage(current, w, h, _bgrMeans)));
                }

                (previousWidth, previousHeight) = (stage.Width, stage.Height);
            }
            finally
            {
                Release(lease);
            }
        }

        var stepMs = stopwatch.Elapsed.TotalMilliseconds / settings.Steps;
        var image = TransferMath.ToImage(x!, width, height, _bgrMeans);
        if (settings.KeepColours)
        {
            var kept = TransferMath.KeepColours(image, photo);
            image.Dispose();
            image = kept;
        }
        else if (matchAfter)
        {
            var matched = Palette.Match(image, palette, settings.AfterAmount, settings.PaletteRotations);
            image.Dispose();
            image = matched;
        }

        // The figures are measured on what the visitor gets, against the unmodified photo: style
        // loss of the photo → of the result, and the content change from the photo itself.
        var finalLease = Lease(height, width);
        try
        {
            using var evaluator = new GradientEvaluator(finalLease.Session, finalLease.Graph);
            var photoTensor = TransferMath.ToTensor(photo, _bgrMeans);
            SetTargets(evaluator, photoTensor, styles, width, height, settings);
            var resultTensor = TransferMath.ToTensor(image, _bgrMeans);
            var (initialStyle, _, _) = evaluator.Evaluate(photoTensor);
            var (finalStyle, finalContent, _) = evaluator.Evaluate(resultTensor);
            return new TransferResult(image, initialStyle, finalStyle, finalContent, settings.Steps, stepMs)
            {
                ContentLossRatio = ContentChange(evaluator.Features(resultTensor).Content, evaluator.Features(photoTensor).Content),
            };
        }
        finally
        {
            Release(finalLease);
        }
    }

    /// <summary>mean((F − F_photo)²) / mean(F_photo²) at the content layer.</summary>
    public static float ContentChange(ReadOnlySpan<float> features, ReadOnlySpan<float> photoFeatures)
    {
        double difference = 0;
        for (var i = 0; i < features.Length; i++)
        {
            var d = features[i] - (double)photoFeatures[i];
            difference += d * d;
        }

        return (float)(difference / features.Length / Math.Max(TransferMath.MeanSquare(photoFeatures), 1e-30f));
    }

    /// <summary>
    /// The loss and gradient of one image against targets taken from others (for tests and
    /// benchmarks): weights 1, one style.
    /// </summary>
    public GradientProbe Probe(int height, int width, float[] styleImage, float[] contentImage)
    {
        EnsureAvailable();
        var lease = Lease(height, width);
        var evaluator = new GradientEvaluator(lease.Session, lease.Graph);
        var style = evaluator.Features(styleImage);
        var content = evaluator.Features(contentImage);
        evaluator.SetTargets(
            content.Content,
            1f / Math.Max(TransferMath.MeanSquare(content.Content), 1e-30f),
            style.Grams,
            [.. style.Grams.Select(g => 1f / style.Grams.Length / Math.Max(TransferMath.MeanSquare(g), 1e-30f))]);
        return new GradientProbe(evaluator, () => Release(lease));
    }

    private static int RoundDown(int side) => Math.Max(TransferGraphBuilder.SizeMultiple, side / TransferGraphBuilder.SizeMultiple * TransferGraphBuilder.SizeMultiple);

    /// <summary>Content target from <paramref name="contentTensor"/>, Gram targets from the styles filled to this size.</summary>
    private void SetTargets(GradientEvaluator evaluator, float[] contentTensor, IReadOnlyList<StyleSource> styles, int width, int height, TransferSettings settings)
    {
        var contentFeatures = evaluator.Features(contentTensor).Content;
        var grams = new List<float[]>[Layers.StyleLayers.Count];
        for (var l = 0; l < grams.Length; l++)
        {
            grams[l] = [];
        }

        foreach (var style in styles)
        {
            using var filled = TransferMath.Fill(style.Image, width, height);
            var features = evaluator.Features(TransferMath.ToTensor(filled, _bgrMeans));
            for (var l = 0; l < grams.Length; l++)
            {
                grams[l].Add(features.Grams[l]);
            }
        }

        var targets = grams.Select(g => TransferMath.BlendGrams(g, [.. styles.Select(s => s.Weight)])).ToArray();

        // Each loss is divided by its target's energy, so strength 1 balances the two whatever the layer scale.
        var contentWeight = settings.ContentWeight / Math.Max(TransferMath.MeanSquare(contentFeatures), 1e-30f);
        var styleWeights = targets.Select(t => settings.Strength / targets.Length / Math.Max(TransferMath.MeanSquare(t), 1e-30f)).ToArray();
        evaluator.SetTargets(contentFeatures, contentWeight, targets, styleWeights);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var s in _sessions)
            {
                s.Session.Dispose();
            }

            _sessions.Clear();
        }
    }

    private SizedSession Lease(int height, int width)
    {
        lock (_gate)
        {
            var found = _sessions.FirstOrDefault(s => s.Graph.Height == height && s.Graph.Width == width);
            if (found is not null)
            {
                _sessions.Remove(found);
                _sessions.AddFirst(found);
                found.Users++;
                return found;
            }
        }

        // Building and loading a graph takes a second or two: outside the lock.
        var graph = TransferGraphBuilder.Build(_network!, Layers, height, width);
        var (session, provider) = SessionFactory.Create(graph.Model, _options, _logger, $"{nameof(StyleTransferEngine)} {width}x{height}");
        Provider = provider;
        var created = new SizedSession(graph, session) { Users = 1 };
        lock (_gate)
        {
            _sessions.AddFirst(created);
            foreach (var idle in _sessions.Skip(CachedSizes).Where(s => s.Users == 0).ToList())
            {
                _sessions.Remove(idle);
                idle.Session.Dispose();
            }
        }

        return created;
    }

    private void Release(SizedSession lease)
    {
        lock (_gate)
        {
            lease.Users--;
        }
    }

    private void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"The style-transfer engine is unavailable: {UnavailableReason}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Style transfer unavailable: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string problem);

    private sealed class SizedSession(TransferGraph graph, InferenceSession session)
    {
        public TransferGraph Graph { get; } = graph;

        public InferenceSession Session { get; } = session;

        public int Users { get; set; }
    }
}

/// <summary>A gradient evaluator bound to fixed targets, released to the engine on dispose.</summary>
public sealed class GradientProbe(GradientEvaluator evaluator, Action release) : IDisposable
{
    public (float Style, float Content, float[] Gradient) Evaluate(float[] image) => evaluator.Evaluate(image);

    public void Dispose()
    {
        evaluator.Dispose();
        release();
    }
}
