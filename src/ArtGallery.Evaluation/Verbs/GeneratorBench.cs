using ArtGallery.Engines.Runtime;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// What <c>bench melody</c> and <c>bench poem</c> share: one generator request timed against one
/// style-encoder forward pass (batch of 1), each warmed up once, then alternating in the same run.
/// </summary>
internal static class GeneratorBench
{
    /// <summary>The bench's command with the <c>--rounds</c> option both benches take; <paramref name="run"/> gets its value.</summary>
    public static Command Create(string name, string description, Func<int, CancellationToken, Task<int>> run)
    {
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of each side (median reported).", DefaultValueFactory = _ => 7 };
        var command = new Command(name, description) { rounds };
        command.SetAction((parse, ct) => run(parse.GetValue(rounds), ct));
        return command;
    }

    /// <param name="cli">Starts the host that holds both engines.</param>
    /// <param name="name">The generator's name in the line that says an engine is unavailable.</param>
    /// <param name="rounds">Timed rounds of each side (at least one).</param>
    /// <param name="generate">One request of the generator's: null for the warm-up, else the timed round's number.</param>
    /// <param name="report">Prints the figures from the generator, the encoder and each side's milliseconds.</param>
    /// <param name="ct">Cancels the host's start.</param>
    public static async Task<int> RunAsync<TGenerator>(HostStarter cli, string name, int rounds, Action<TGenerator, int?> generate,
        Action<TGenerator, StyleEncoder, List<double>, List<double>> report, CancellationToken ct)
        where TGenerator : CatalogModelEngine
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(generate);
        ArgumentNullException.ThrowIfNull(report);
        using var host = await cli.StartAsync(ct);
        var generator = host.Services.GetRequiredService<TGenerator>();
        var encoder = host.Services.GetRequiredService<StyleEncoder>();
        if (!generator.IsAvailable || !encoder.IsAvailable)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]unavailable: {name} {generator.UnavailableReason ?? "ok"}, encoder {encoder.UnavailableReason ?? "ok"}[/]");
            return 1;
        }

        var tensor = Timing.EncoderNoise();
        generate(generator, null);
        encoder.Encode(tensor, 1);
        var times = Timing.Alternate(Math.Max(1, rounds), rotate: false, r => generate(generator, r), _ => encoder.Encode(tensor, 1));
        report(generator, encoder, times[0], times[1]);
        return 0;
    }
}
