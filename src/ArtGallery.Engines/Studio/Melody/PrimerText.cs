using System.Globalization;

namespace ArtGallery.Engines.Studio.Melody;

/// <summary>
/// The primer melody as text: notes separated by spaces, each <c>NAME[:SIXTEENTHS]</c> — a note name
/// with octave (<c>C4</c> = MIDI 60, <c>F#4</c>, <c>Bb3</c>), a MIDI number, or <c>r</c> for a rest —
/// lasting a quarter note (4 sixteenths) unless a length is given. E.g. <c>D4:2 E4:2 F#4 A4:8</c>.
/// </summary>
public static class PrimerText
{
    public const int MaxNotes = 64;

    public static IReadOnlyList<MelodyNote> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var tokens = text.Split([' ', ',', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length > MaxNotes)
        {
            throw new FormatException($"a primer may have at most {MaxNotes} notes (got {tokens.Length})");
        }

        var notes = new List<MelodyNote>();
        var step = 0;
        foreach (var token in tokens)
        {
            var parts = token.Split(':');
            var length = 4;
            if (parts.Length > 2 || (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length is < 1 or > 64)))
            {
                throw new FormatException($"'{token}': a length is 1 to 64 sixteenths, as in C4:2");
            }

            if (!string.Equals(parts[0], "r", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryParsePitch(parts[0], out var pitch))
                {
                    throw new FormatException($"'{parts[0]}' is not a note: use a name with octave (C4, F#4, Bb3), a MIDI number, or r for a rest");
                }

                if (pitch is < MelodyEvents.MinPitch or > MelodyEvents.MaxPitch)
                {
                    throw new FormatException($"'{parts[0]}' (MIDI {pitch}) is outside the model's range C3..B5 (MIDI {MelodyEvents.MinPitch}..{MelodyEvents.MaxPitch})");
                }

                notes.Add(new MelodyNote(pitch, step, length));
            }

            step += length;
        }

        return notes;
    }

    public static string Format(IEnumerable<MelodyNote> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var parts = new List<string>();
        var step = 0;
        foreach (var note in notes)
        {
            if (note.StartStep > step)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"r:{note.StartStep - step}"));
            }

            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{NoteName(note.Pitch)}:{note.DurationSteps}"));
            step = note.StartStep + note.DurationSteps;
        }

        return string.Join(' ', parts);
    }

    public static string NoteName(int pitch) => string.Create(CultureInfo.InvariantCulture, $"{MusicalKey.PitchClassName(pitch)}{(pitch / 12) - 1}");

    public static bool TryParsePitch(string text, out int pitch)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out pitch))
        {
            return pitch <= 127;
        }

        pitch = -1;
        var octaveAt = text.Length > 1 && (text[1] is '#' or 'b') ? 2 : 1;
        if (text.Length <= octaveAt
            || !MusicalKey.TryParseTonic(text[..octaveAt], out var pc)
            || !int.TryParse(text[octaveAt..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var octave)
            || octave is < -1 or > 9)
        {
            return false;
        }

        // C4 = 60; Cb and B# cross the octave line the way their spelling says.
        var letterIsC = char.ToUpperInvariant(text[0]) == 'C';
        var letterIsB = char.ToUpperInvariant(text[0]) == 'B';
        var octaveFix = letterIsC && text[1..octaveAt] == "b" ? -1 : letterIsB && text[1..octaveAt] == "#" ? 1 : 0;
        pitch = ((octave + 1 + octaveFix) * 12) + pc;
        return pitch is >= 0 and <= 127;
    }
}
