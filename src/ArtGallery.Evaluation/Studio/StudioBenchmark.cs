using ArtGallery.Core.Studio;
using ArtGallery.Core.Studio.Gan;
using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Evaluation.Studio;

/// <summary>Medians (<see cref="Timing.Median"/>) of what `bench gan` and `bench studio` print, measured in one run; <see cref="Melody16Ms"/> is NaN when no melody was timed.</summary>
public sealed record StudioBenchmarkResult(double Gan16Ms, double Melody16Ms, double ForwardMs, int Rounds, string GanProvider);

/// <summary>
/// Times a 16-picture GAN grid (latents, generator, PNG encoding: what the studio page waits for),
/// optionally 16 composed bars of melody, and one style-encoder forward pass on one prepared
/// 224×224 image. Each round takes them in turn, starting one further along each round, so the
/// shared machine's drift touches all of them alike.
/// </summary>
public static class StudioBenchmark
{
    public const int GridSize = 16;

    /// <summary>Bars composed per timed melody (16 bars = the studio's default length).</summary>
    public const int MelodyBars = 16;

    public static StudioBenchmarkResult Measure(GanStudioService gan, MelodyGenerator? melody, StyleEncoder encoder, int rounds = 7)
    {
        ArgumentNullException.ThrowIfNull(gan);
        ArgumentNullException.ThrowIfNull(encoder);
        if (rounds is < 1 or > 1000)
        {
            throw new StudioRequestException($"Rounds must be between 1 and 1000 (got {rounds}).");
        }

        if (!encoder.IsAvailable)
        {
            throw new StudioRequestException($"The style encoder is unavailable: {encoder.UnavailableReason}");
        }

        var seeds = Enumerable.Range(0, GridSize).Select(i => (long)i).ToArray();
        var request = new MelodyRequest { Bars = MelodyBars };
        var tensor = new float[EncoderPreprocessing.TensorLength];
        using (var image = DemoPainter.Paint(DemoCatalogue.Plan(1, 42)[0]))
        {
            encoder.Prepare(image, tensor);
        }

        var sides = new List<Action<int>>
        {
            _ => gan.Grid(seeds),
            _ => encoder.RunRaw(tensor, 1),
        };
        if (melody is not null)
        {
            sides.Add(round => melody.Compose(request with { Seed = round }));
        }

        // Untimed first pass of each: JIT, ONNX Runtime's arenas and caches settle.
        gan.Grid(seeds);
        encoder.RunRaw(tensor, 1);
        melody?.Compose(request);
        var times = Timing.Alternate(rounds, rotate: true, [.. sides]);
        return new StudioBenchmarkResult(Timing.Median(times[0]), melody is null ? double.NaN : Timing.Median(times[2]), Timing.Median(times[1]), rounds, gan.Provider);
    }
}
