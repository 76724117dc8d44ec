using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Cli.Verbs;

/// <summary>Melody studio verbs: encode a MIDI folder for training, compose from the command line.</summary>
internal static class MusicVerb
{
    public static Command Create()
    {
        var music = new Command("music", "Melody studio: encode a MIDI folder for the training recipe, compose melodies.");
        music.Subcommands.Add(EncodeCommand());
        music.Subcommands.Add(MelodyComposeCommand.Create());
        return music;
    }

    private static Command EncodeCommand()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder of .mid files.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Events file to write (text, one tune per line).", Required = true };
        var command = new Command("encode", "Read every MIDI file's melody into the event encoding, with the deterministic train/held-out split.") { data, output };
        command.SetAction(parse =>
        {
            IReadOnlyList<CorpusTune> tunes;
            var skipped = 0;
            try
            {
                tunes = MelodyCorpus.ReadFolder(parse.GetValue(data)!.FullName, (name, reason) =>
                {
                    skipped++;
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]skipped {name}: {reason}[/]");
                });
            }
            catch (DirectoryNotFoundException ex)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            var file = parse.GetValue(output)!;
            file.Directory?.Create();
            using (var writer = new StreamWriter(file.FullName))
            {
                MelodyCorpus.Write(writer, tunes);
            }

            var heldOut = tunes.Count(t => t.HeldOut);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tunes={tunes.Count} train={tunes.Count - heldOut} heldout={heldOut} skipped={skipped} events={tunes.Sum(t => t.Melody.Length)} out={file.FullName}"));
            return tunes.Count > 0 ? 0 : 1;
        });
        return command;
    }
}
