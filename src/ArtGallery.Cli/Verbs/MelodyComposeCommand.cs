using ArtGallery.Core.Studio.Melody;
using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Cli.Verbs;

/// <summary><c>music compose</c>: one melody to a .mid or .wav file, with every studio control.</summary>
internal static class MelodyComposeCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "File to write: .mid or .wav.", Required = true };
        var bars = new Option<int>("--bars") { Description = "Length in bars.", DefaultValueFactory = _ => 8 };
        var beats = new Option<int>("--beats") { Description = "Beats per bar (3 or 4).", DefaultValueFactory = _ => 4 };
        var temperature = new Option<double>("--temperature") { DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "0 = off.", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var key = new Option<string?>("--key") { Description = "Tonic (C, F#, Bb …); omit for no key constraint." };
        var mode = new Option<MelodyMode>("--mode") { DefaultValueFactory = _ => MelodyMode.Major };
        var bpm = new Option<double>("--bpm") { DefaultValueFactory = _ => 110 };
        var low = new Option<int>("--low") { Description = "Lowest MIDI pitch.", DefaultValueFactory = _ => 55 };
        var high = new Option<int>("--high") { Description = "Highest MIDI pitch.", DefaultValueFactory = _ => 79 };
        var primer = new Option<string?>("--primer") { Description = "Primer melody, e.g. \"D4:2 E4:2 F#4 A4:8\"." };
        var timbre = new Option<Timbre>("--timbre") { DefaultValueFactory = _ => Timbre.Flute };
        var command = new Command("compose", "Compose one melody and write it as MIDI or WAV.")
        {
            output, bars, beats, temperature, topK, seed, key, mode, bpm, low, high, primer, timbre,
        };
        command.SetAction(async (parse, ct) =>
        {
            MelodySettings settings;
            try
            {
                MusicalKey? musicalKey = null;
                if (parse.GetValue(key) is { } tonicText)
                {
                    musicalKey = MusicalKey.TryParseTonic(tonicText, out var tonic)
                        ? new MusicalKey(tonic, parse.GetValue(mode))
                        : throw new FormatException($"'{tonicText}' is not a key: use C, C#, Db, D … B");
                }

                settings = new MelodySettings(new MelodyRequest
                {
                    Bars = parse.GetValue(bars), BeatsPerBar = parse.GetValue(beats), Temperature = parse.GetValue(temperature),
                    TopK = parse.GetValue(topK), Seed = parse.GetValue(seed), Key = musicalKey, Bpm = parse.GetValue(bpm),
                    LowPitch = parse.GetValue(low), HighPitch = parse.GetValue(high), Primer = PrimerText.Parse(parse.GetValue(primer)),
                }, parse.GetValue(timbre));
                var problems = settings.Request.Validate();
                if (problems.Count > 0)
                {
                    throw new FormatException(string.Join("; ", problems));
                }
            }
            catch (FormatException ex)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            var file = parse.GetValue(output)!;
            var wav = file.Extension.Equals(".wav", StringComparison.OrdinalIgnoreCase);
            if (!wav && !file.Extension.Equals(".mid", StringComparison.OrdinalIgnoreCase))
            {
                AnsiConsole.MarkupLine("[red]--out must end in .mid or .wav[/]");
                return 2;
            }

            using var host = await CliHost.StartAsync(ct);
            var studio = host.Services.GetRequiredService<MelodyStudioService>();
            if (!studio.IsAvailable)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]the melody model is unavailable: {studio.UnavailableReason}[/]");
                return 1;
            }

            var composition = studio.Compose(settings);
            await File.WriteAllBytesAsync(file.FullName, wav ? MelodyStudioService.Wav(composition) : MelodyStudioService.Midi(composition), ct);
            Console.WriteLine(PrimerText.Format(composition.Melody.Notes));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"notes={composition.Melody.Notes.Count} seconds={composition.Melody.Seconds:0.0} in_key={composition.InKeyShare?.ToString("0.000", CultureInfo.InvariantCulture) ?? "n/a"} out={file.FullName}"));
            return 0;
        });
        return command;
    }
}
