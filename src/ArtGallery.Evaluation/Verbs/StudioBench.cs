using ArtGallery.Core.Studio.Gan;
using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>bench studio</c> (a 16-picture GAN grid and 16 composed bars, each next to one style-encoder
/// forward pass) and <c>bench gan</c> (the grid alone next to the forward pass): one measurement,
/// <see cref="StudioBenchmark"/>.
/// </summary>
internal static class StudioBench
{
    public static Command Create(HostStarter cli)
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

            using var host = await cli.StartAsync(ct);
            var gan = host.Services.GetRequiredService<GanStudioService>();
            var melody = host.Services.GetRequiredService<MelodyGenerator>();
            var encoder = host.Services.GetRequiredService<StyleEncoder>();
            if (!gan.IsAvailable || !melody.IsAvailable || !encoder.IsAvailable)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"[red]unavailable: gan {gan.UnavailableReason ?? "ok"}, melody {melody.UnavailableReason ?? "ok"}, encoder {encoder.UnavailableReason ?? "ok"}[/]");
                return 1;
            }

            var result = StudioBenchmark.Measure(gan, melody, encoder, n);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gan on {gan.Provider}, melody on {melody.Provider}, encoder on {encoder.Provider}; medians of {n} rounds (16 pictures at 64 px incl. PNG encoding; {StudioBenchmark.MelodyBars} bars = {new MelodyRequest { Bars = StudioBenchmark.MelodyBars }.TotalSteps} model steps; one 224 px forward pass, batch 1)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gan16_ms={result.Gan16Ms:0.0} melody16_ms={result.Melody16Ms:0.0} forward_ms={result.ForwardMs:0.0}"));
            return 0;
        });
        return command;
    }

    public static Command GanCommand(HostStarter cli)
    {
        var rounds = new Option<int>("--rounds") { Description = "Alternating timed rounds of each side.", DefaultValueFactory = _ => 7 };
        var command = new Command("gan", "A 16-picture GAN grid (generator + PNG) next to one style-encoder forward pass, in the same run.") { rounds };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await cli.StartAsync(ct);
            return StudioErrors.Report(() =>
            {
                var result = StudioBenchmark.Measure(host.Services.GetRequiredService<GanStudioService>(), melody: null, host.Services.GetRequiredService<StyleEncoder>(), parse.GetValue(rounds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rounds={result.Rounds} provider={result.GanProvider} threads={Environment.ProcessorCount}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gan16_ms={result.Gan16Ms:F1} forward_ms={result.ForwardMs:F1}"));
                return 0;
            });
        });
        return command;
    }
}
