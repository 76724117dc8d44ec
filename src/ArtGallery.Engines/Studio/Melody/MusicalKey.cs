namespace ArtGallery.Engines.Studio.Melody;

public enum MelodyMode
{
    Major,
    Minor,
    Dorian,
    Mixolydian,
}

/// <summary>A key: tonic pitch class (0 = C) and mode, with the pitch classes it allows.</summary>
public readonly record struct MusicalKey(int Tonic, MelodyMode Mode)
{
    private static readonly string[] Names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];

    public int[] Intervals => Mode switch
    {
        MelodyMode.Major => [0, 2, 4, 5, 7, 9, 11],
        MelodyMode.Minor => [0, 2, 3, 5, 7, 8, 10],
        MelodyMode.Dorian => [0, 2, 3, 5, 7, 9, 10],
        MelodyMode.Mixolydian => [0, 2, 4, 5, 7, 9, 10],
        _ => throw new ArgumentOutOfRangeException(nameof(Mode)),
    };

    public bool Contains(int pitch)
    {
        var pc = (((pitch - Tonic) % 12) + 12) % 12;
        return Array.IndexOf(Intervals, pc) >= 0;
    }

    public string Name => $"{Names[((Tonic % 12) + 12) % 12]} {Mode.ToString().ToLowerInvariant()}";

    public override string ToString() => Name;

    public static string PitchClassName(int pitchClass) => Names[((pitchClass % 12) + 12) % 12];

    /// <summary>Parses "C", "F#", "Bb" (any case) into a pitch class.</summary>
    public static bool TryParseTonic(string? text, out int tonic)
    {
        tonic = -1;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        var letter = char.ToUpperInvariant(t[0]) switch
        {
            'C' => 0, 'D' => 2, 'E' => 4, 'F' => 5, 'G' => 7, 'A' => 9, 'B' => 11, _ => -1,
        };
        if (letter < 0 || t.Length > 2)
        {
            return false;
        }

        var accidental = t.Length == 2 ? t[1] switch { '#' => 1, 'b' => -1, _ => 99 } : 0;
        if (accidental == 99)
        {
            return false;
        }

        tonic = (letter + accidental + 12) % 12;
        return true;
    }

    /// <summary>The tonic pitch nearest <paramref name="pitch"/>.</summary>
    public int NearestTonic(int pitch)
    {
        var below = pitch - ((((pitch - Tonic) % 12) + 12) % 12);
        return pitch - below <= 6 ? below : below + 12;
    }
}
