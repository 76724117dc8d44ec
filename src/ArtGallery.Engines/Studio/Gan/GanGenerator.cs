namespace ArtGallery.Engines.Studio.Gan;

/// <summary>
/// The studio's DCGAN painter (models/training/gan, shipped as models/gan-demo-64.onnx): latents
/// z ~ N(0, 1) in, RGB images in [−1, 1] out, run by ONNX Runtime on the provider
/// <see cref="SessionFactory"/> picks. Reports <see cref="IsAvailable"/> = false when the model is missing.
/// </summary>
public sealed class GanGenerator : CatalogModelEngine
{
    public const string ModelId = "gan-demo-64";
    public const string InputName = "z";
    public const string OutputName = "image";

    /// <summary>Largest batch one call accepts: 64 images of 64×64 is 3 MB of output, a grid's worth.</summary>
    public const int MaxBatch = 64;

    public GanGenerator(IOptions<EngineOptions> options, ILogger<GanGenerator> logger)
        : base("gan", "GAN painter", ModelId, options, logger)
    {
        if (Session is null)
        {
            return;
        }

        LatentSize = Session.InputMetadata[InputName].Dimensions[1];
        ImageSize = Session.OutputMetadata[OutputName].Dimensions[3];
    }

    /// <summary>Length of one latent (100 for the shipped model).</summary>
    public int LatentSize { get; }

    /// <summary>Side of a generated image in pixels (64 for the shipped model).</summary>
    public int ImageSize { get; }

    /// <summary>The raw generator output: count × 3 × side × side, values in [−1, 1].</summary>
    public float[] GenerateTensors(IReadOnlyList<float[]> latents)
    {
        var session = RequireSession("The GAN painter");
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.Count is 0 or > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(latents), latents.Count, $"Generate between 1 and {MaxBatch} images at a time.");
        }

        var z = new float[latents.Count * LatentSize];
        for (var n = 0; n < latents.Count; n++)
        {
            if (latents[n].Length != LatentSize)
            {
                throw new ArgumentException($"Latent {n} has {latents[n].Length} values; the model takes {LatentSize}.", nameof(latents));
            }

            if (latents[n].Any(v => !float.IsFinite(v)))
            {
                throw new ArgumentException($"Latent {n} holds a value that is not a finite number.", nameof(latents));
            }

            latents[n].CopyTo(z, n * LatentSize);
        }

        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, z.AsMemory(), [latents.Count, LatentSize]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [InputName], [input], [OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>One image per latent.</summary>
    public IReadOnlyList<Image<Rgb24>> Generate(IReadOnlyList<float[]> latents)
    {
        var tensors = GenerateTensors(latents);
        var length = 3 * ImageSize * ImageSize;
        var images = new Image<Rgb24>[latents.Count];
        for (var n = 0; n < images.Length; n++)
        {
            images[n] = GanImages.ToImage(tensors.AsSpan(n * length, length), ImageSize);
        }

        return images;
    }
}
