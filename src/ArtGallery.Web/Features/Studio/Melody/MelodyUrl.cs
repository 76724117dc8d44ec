using ArtGallery.Core.Studio.Melody;
using ArtGallery.Engines.Studio.Melody;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace ArtGallery.Web.Features.Studio.Melody;

/// <summary>
/// Melody settings in a URL query: the studio page, its WAV and MIDI downloads and the artwork player
/// all describe a melody this way, so a link recomposes the same melody (same seed, same notes).
/// </summary>
public static class MelodyUrl
{
    public const string WavPath = "/studio/melody/melody.wav";
    public const string MidiPath = "/studio/melody/melody.mid";
    public const string PagePath = "/studio/melody";

    public static string Query(MelodySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var r = settings.Request;
        var values = new Dictionary<string, string?>
        {
            ["bars"] = Text(r.Bars),
            ["beats"] = Text(r.BeatsPerBar),
            ["t"] = Text(r.Temperature),
            ["k"] = Text(r.TopK),
            ["seed"] = Text(r.Seed),
            ["key"] = r.Key is { } key ? MusicalKey.PitchClassName(key.Tonic) : null,
            ["mode"] = r.Key?.Mode.ToString().ToLowerInvariant(),
            ["bpm"] = Text(r.Bpm),
            ["low"] = Text(r.LowPitch),
            ["high"] = Text(r.HighPitch),
            ["primer"] = r.Primer.Count > 0 ? PrimerText.Format(r.Primer) : null,
            ["timbre"] = settings.Timbre.ToString().ToLowerInvariant(),
        };
        return QueryHelpers.AddQueryString(string.Empty, values.Where(v => v.Value is not null));
    }

    public static string Wav(MelodySettings settings) => WavPath + Query(settings);

    public static string Midi(MelodySettings settings) => MidiPath + Query(settings);

    /// <summary>Settings from a query; missing values take the defaults, bad ones become problems in words.</summary>
    public static (MelodySettings? Settings, IReadOnlyList<string> Problems) Parse(IReadOnlyDictionary<string, StringValues> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var problems = new List<string>();
        var d = MelodySettings.Default.Request;
        string? Get(string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;
        int Int(string name, int fallback)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add($"{name} must be a whole number (got '{text}')");
            return fallback;
        }

        double Real(string name, double fallback)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                return value;
            }

            problems.Add($"{name} must be a number (got '{text}')");
            return fallback;
        }

        MusicalKey? key = null;
        var keyText = Get("key");
        var modeText = Get("mode") ?? "major";
        if (!Enum.TryParse<MelodyMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
        {
            problems.Add($"mode must be major, minor, dorian or mixolydian (got '{modeText}')");
        }

        if (!string.IsNullOrEmpty(keyText) && !string.Equals(keyText, "none", StringComparison.OrdinalIgnoreCase))
        {
            if (MusicalKey.TryParseTonic(keyText, out var tonic))
            {
                key = new MusicalKey(tonic, mode);
            }
            else
            {
                problems.Add($"key must be a tonic such as C, F# or Bb (got '{keyText}')");
            }
        }

        var timbreText = Get("timbre") ?? "flute";
        if (!Enum.TryParse<Timbre>(timbreText, ignoreCase: true, out var timbre) || !Enum.IsDefined(timbre))
        {
            problems.Add($"timbre must be flute, pluck or square (got '{timbreText}')");
        }

        IReadOnlyList<MelodyNote> primer = [];
        try
        {
            primer = PrimerText.Parse(Get("primer"));
        }
        catch (FormatException ex)
        {
            problems.Add($"primer: {ex.Message}");
        }

        var request = new MelodyRequest
        {
            Bars = Int("bars", d.Bars), BeatsPerBar = Int("beats", d.BeatsPerBar), Temperature = Real("t", d.Temperature),
            TopK = Int("k", d.TopK), Seed = Int("seed", d.Seed), Key = key, Bpm = Real("bpm", d.Bpm),
            LowPitch = Int("low", d.LowPitch), HighPitch = Int("high", d.HighPitch), Primer = primer,
        };
        problems.AddRange(request.Validate());
        return problems.Count > 0 ? (null, problems) : (new MelodySettings(request, timbre), problems);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
