using ArtGallery.Core.Studio;
using ArtGallery.Engines.Studio.Gan;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Evaluation.Studio;

/// <summary>The three distances `eval gan` prints, with the sample count each side used.</summary>
public sealed record GanEvaluationReport(int TrainImages, int Samples, double Fd, double NoiseFd, double HeldOutFd, TimeSpan Elapsed);

/// <summary>
/// An FID-like quality figure: Fréchet distance on the style encoder's 512-d pooled content features
/// (ResNet18 stage 4, global average pool) between the training split and (a) generated pictures,
/// (b) uniform pixel noise, (c) the held-out split. All three compared sets have the held-out
/// split's size, so their small-sample bias is the same; every image is 64 px upscaled to the encoder's 224.
/// </summary>
public sealed class GanEvaluation(GanGenerator generator, StyleEncoder encoder)
{
    private const int Batch = 16;

    /// <summary>Seeds of the evaluated samples: far from the small seeds the studio shows first.</summary>
    public const long FirstSampleSeed = 1_000_000;

    public GanEvaluationReport Evaluate(IReadOnlyList<Image<Rgb24>> train, IReadOnlyList<Image<Rgb24>> heldOut, int noiseSeed = 7)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(heldOut);
        if (!generator.IsAvailable)
        {
            throw new StudioRequestException($"The GAN painter is unavailable: {generator.UnavailableReason}");
        }

        if (!encoder.IsAvailable)
        {
            throw new StudioRequestException($"The style encoder is unavailable: {encoder.UnavailableReason}");
        }

        if (train.Count < 2 || heldOut.Count < 2)
        {
            throw new StudioRequestException($"The evaluation needs at least two training and two held-out images (got {train.Count} and {heldOut.Count}).");
        }

        var started = Stopwatch.GetTimestamp();
        var n = heldOut.Count;
        var reference = FrechetDistance.Reference.Of(Features(train));
        var heldFd = reference.DistanceTo(Features(heldOut));

        var generated = new List<float[]>(n);
        for (var i = 0; i < n; i += Batch)
        {
            var latents = Enumerable.Range(i, Math.Min(Batch, n - i)).Select(k => GanLatents.FromSeed(FirstSampleSeed + k, generator.LatentSize)).ToArray();
            var images = generator.Generate(latents);
            generated.AddRange(Features(images));
            DisposeAll(images);
        }

        var fd = reference.DistanceTo(generated);
        var noiseImages = Noise(n, generator.ImageSize, noiseSeed);
        var noiseFd = reference.DistanceTo(Features(noiseImages));
        DisposeAll(noiseImages);
        return new GanEvaluationReport(train.Count, n, fd, noiseFd, heldFd, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Uniform RGB noise pictures: the baseline a generator that learned nothing would match.</summary>
    public static IReadOnlyList<Image<Rgb24>> Noise(int count, int side, int seed)
    {
        var random = new Random(seed);
        var images = new Image<Rgb24>[count];
        var bytes = new byte[side * side * 3];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            images[i] = Image.LoadPixelData<Rgb24>(bytes, side, side);
        }

        return images;
    }

    /// <summary>The 512-d pooled content features (before the embedding's normalisation) of each image.</summary>
    public List<float[]> Features(IReadOnlyList<Image<Rgb24>> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var features = new List<float[]>(images.Count);
        var tensor = new float[Batch * EncoderPreprocessing.TensorLength];
        for (var i = 0; i < images.Count; i += Batch)
        {
            var count = Math.Min(Batch, images.Count - i);
            for (var k = 0; k < count; k++)
            {
                encoder.Prepare(images[i + k], tensor.AsSpan(k * EncoderPreprocessing.TensorLength, EncoderPreprocessing.TensorLength));
            }

            foreach (var moments in encoder.EncodeMoments(tensor, count, EncoderPreprocessing.Size, EncoderPreprocessing.Size))
            {
                features.Add(moments[StyleEncoder.StyleLayers.Count].Means);
            }
        }

        return features;
    }

    private static void DisposeAll(IReadOnlyList<Image<Rgb24>> images)
    {
        foreach (var image in images)
        {
            image.Dispose();
        }
    }
}
