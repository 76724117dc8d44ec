using System.Diagnostics;
using ArtGallery.Core.Studio.Gan;
using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Studio;

/// <summary>Medians of the two timings `bench gan` (and the studio bench) prints, measured in one run.</summary>
public sealed record GanBenchmarkResult(double Gan16Ms, double ForwardMs, int Rounds, string Provider);

/// <summary>
/// Times a 16-picture grid (latents, generator, PNG encoding: what the studio page waits for) next
/// to one style-encoder forward pass on one prepared 224×224 image, alternating the two each round
/// so the shared machine's drift touches both.
/// </summary>
public static class GanBenchmark
{
    public const int GridSize = 16;

    public static GanBenchmarkResult Measure(GanStudioService studio, StyleEncoder encoder, int rounds = 7)
    {
        ArgumentNullException.ThrowIfNull(studio);
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
        var tensor = new float[EncoderPreprocessing.TensorLength];
        using (var image = DemoPainter.Paint(DemoCatalogue.Plan(1, 42)[0]))
        {
            encoder.Prepare(image, tensor);
        }

        // Untimed first pass of each: JIT, ONNX Runtime's arena and caches settle.
        studio.Grid(seeds);
        encoder.RunRaw(tensor, 1);
        var grid = new List<double>();
        var forward = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var gridFirst = round % 2 == 0;
            if (gridFirst)
            {
                grid.Add(Time(() => studio.Grid(seeds)));
            }

            forward.Add(Time(() => encoder.RunRaw(tensor, 1)));
            if (!gridFirst)
            {
                grid.Add(Time(() => studio.Grid(seeds)));
            }
        }

        return new GanBenchmarkResult(Median(grid), Median(forward), rounds, studio.Provider);
    }

    private static double Time(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
