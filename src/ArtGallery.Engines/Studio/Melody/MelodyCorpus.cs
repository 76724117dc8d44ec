using System.Globalization;

namespace ArtGallery.Engines.Studio.Melody;

/// <summary>One encoded tune of a corpus and which side of the split it falls on.</summary>
public sealed record CorpusTune(string Name, bool HeldOut, MelodyEventSequence Melody);

/// <summary>
/// A MIDI folder as event sequences, and the text file the training recipe reads: one tune per line,
/// <c>name TAB train|heldout TAB steps_per_bar TAB events separated by spaces</c>. The split is a
/// hash of the file name, so training and <c>eval music</c> agree without sharing a list.
/// </summary>
public static class MelodyCorpus
{
    public const string Header = "# artgallery melody events v1: name<TAB>train|heldout<TAB>steps_per_bar<TAB>events (0 hold, 1 rest, 2+ note-on pitch-46)";

    /// <summary>One tune in ten is held out.</summary>
    public const int HeldOutModulus = 10;

    /// <summary>Tunes shorter than two bars teach nothing and are skipped.</summary>
    public const int MinSteps = 32;

    /// <summary>FNV-1a of the lower-cased file name: stable across runs, machines and .NET versions.</summary>
    public static bool IsHeldOut(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(fileName.ToLowerInvariant()))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash % HeldOutModulus == 0;
    }

    /// <summary>
    /// Reads every .mid/.midi file under <paramref name="directory"/> (sorted by name); unreadable
    /// files are reported through <paramref name="skipped"/> and left out, never fatal.
    /// </summary>
    public static IReadOnlyList<CorpusTune> ReadFolder(string directory, Action<string, string>? skipped = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"no MIDI folder at {directory}");
        }

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".mid", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".midi", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var tunes = new List<CorpusTune>(files.Count);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            try
            {
                var midi = MelodyMidi.Read(file);
                var shift = MelodyEvents.OctaveShiftToFit([.. midi.Notes.Select(n => n.Pitch)]);
                var notes = midi.Notes.Select(n => n with { Pitch = n.Pitch + shift }).ToList();
                var sequence = MelodyEvents.Encode(notes, midi.StepsPerBar);
                if (sequence.Length < MinSteps)
                {
                    skipped?.Invoke(name, $"only {sequence.Length} sixteenth notes");
                    continue;
                }

                tunes.Add(new CorpusTune(name, IsHeldOut(name), sequence));
            }
            catch (InvalidDataException ex)
            {
                skipped?.Invoke(name, ex.Message);
            }
        }

        return tunes;
    }

    public static void Write(TextWriter writer, IEnumerable<CorpusTune> tunes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(tunes);
        writer.WriteLine(Header);
        foreach (var tune in tunes)
        {
            writer.Write(tune.Name.Replace('\t', ' '));
            writer.Write('\t');
            writer.Write(tune.HeldOut ? "heldout" : "train");
            writer.Write('\t');
            writer.Write(tune.Melody.StepsPerBar.ToString(CultureInfo.InvariantCulture));
            writer.Write('\t');
            writer.WriteLine(string.Join(' ', tune.Melody.Events));
        }
    }
}
