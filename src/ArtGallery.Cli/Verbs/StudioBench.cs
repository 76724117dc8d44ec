using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ArtGallery.Core.Studio;
using ArtGallery.Core.Studio.Gan;
using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Studio.Melody;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ArtGallery.Cli.Verbs;

/// <summary>
/// <c>bench studio</c>: a 16-picture GAN grid and 16 composed bars, each next to one style-encoder
/// forward pass, the three taken in turn every round so the shared machine's drift touches all of them.
/// </summary>
internal static class StudioBench
{
    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { DefaultValueFactory = _ => 7, Description = "alternating rounds (medians are printed)" };
        var command = new Command("studio", "GAN grid of 16 and 16 bars of melody, each next to one encoder forward pass, in one run.") { rounds };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(rounds);
            if (n is < 1 or > 1000)
            {
                AnsiConsole.MarkupLine("[red]--rounds takes 1 to 1000[/]");
                return 2;
            }

            using var host = await CliHost.StartAsync(ct);
            var gan = host.Services.GetRequiredService<GanStudioService>();
            var melody = host.Services.GetRequiredService<MelodyGenerator>();
            var encoder = host.Services.GetRequiredService<StyleEncoder>();
            if (!gan.IsAvailable || !melody.IsAvailable || !encoder.IsAvailable)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"[red]unavailable: gan {gan.UnavailableReason ?? "ok"}, melody {melody.UnavailableReason ?? "ok"}, encoder {encoder.UnavailableReason ?? "ok"}[/]");
                return 1;
            }

            var seeds = Enumerable.Range(0, GanBenchmark.GridSize).Select(i => (long)i).ToArray();
            var request = new MelodyRequest { Bars = 16 };
            var tensor = new float[EncoderPreprocessing.TensorLength];
            using (var image = DemoPainter.Paint(DemoCatalogue.Plan(1, 42)[0]))
            {
                encoder.Prepare(image, tensor);
            }

            // Untimed first pass of each: JIT, ONNX Runtime's arenas and caches settle.
            gan.Grid(seeds);
            melody.Compose(request);
            encoder.RunRaw(tensor, 1);
            var (ganMs, melodyMs, forwardMs) = (new List<double>(), new List<double>(), new List<double>());
            for (var r = 0; r < n; r++)
            {
                ganMs.Add(Time(() => gan.Grid(seeds)));
                forwardMs.Add(Time(() => encoder.RunRaw(tensor, 1)));
                melodyMs.Add(Time(() => melody.Compose(request with { Seed = r })));
            }

            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gan on {gan.Provider}, melody on {melody.Provider}, encoder on {encoder.Provider}; medians of {n} rounds (16 pictures at 64 px incl. PNG encoding; 16 bars = {request.TotalSteps} model steps; one 224 px forward pass, batch 1)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gan16_ms={BenchVerb.Median(ganMs):0.0} melody16_ms={BenchVerb.Median(melodyMs):0.0} forward_ms={BenchVerb.Median(forwardMs):0.0}"));
            return 0;
        });
        return command;
    }

    private static double Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
