using System.Buffers.Binary;

namespace ArtGallery.Engines.Studio.Melody;

public enum Timbre
{
    /// <summary>Sine with a soft second harmonic, gentle attack and a slight vibrato.</summary>
    Flute,

    /// <summary>Bright plucked string: harmonics decaying at different rates (harpsichord-like).</summary>
    Pluck,

    /// <summary>Hollow square-ish wave (odd harmonics), a chiptune/organ colour.</summary>
    Square,
}

/// <summary>
/// A small additive synthesiser that renders a melody to 16-bit mono PCM WAV: each timbre is a set
/// of harmonics and an attack/decay/sustain/release envelope. Pure and deterministic.
/// </summary>
public static class MelodySynth
{
    public const int SampleRate = 22_050;

    /// <summary>Releases ring on this long after the last note.</summary>
    public const double TailSeconds = 0.4;

    /// <summary>The longest audio rendered (32 bars of 4/4 at 40 bpm is 192 s).</summary>
    public const double MaxSeconds = 200;

    private const double Gain = 0.28;

    public static byte[] RenderWav(IReadOnlyList<MelodyNote> notes, double bpm, Timbre timbre)
    {
        var samples = Render(notes, bpm, timbre);
        var wav = new byte[44 + (samples.Length * 2)];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], wav.Length - 8);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], samples.Length * 2);
        for (var i = 0; i < samples.Length; i++)
        {
            var value = (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (2 * i))..], value);
        }

        return wav;
    }

    /// <summary>Samples in -1..1 at <see cref="SampleRate"/>.</summary>
    public static float[] Render(IReadOnlyList<MelodyNote> notes, double bpm, Timbre timbre)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (!double.IsFinite(bpm) || bpm < MelodyRequest.MinBpm || bpm > MelodyRequest.MaxBpm)
        {
            throw new ArgumentOutOfRangeException(nameof(bpm), $"tempo must be {MelodyRequest.MinBpm} to {MelodyRequest.MaxBpm} bpm");
        }

        var stepSeconds = 60.0 / (bpm * MelodyEvents.StepsPerQuarter);
        var endStep = notes.Count == 0 ? 0 : notes.Max(n => n.StartStep + n.DurationSteps);
        var seconds = (endStep * stepSeconds) + TailSeconds;
        if (seconds > MaxSeconds)
        {
            throw new ArgumentException($"the melody lasts {seconds:0} s; at most {MaxSeconds:0} s is rendered", nameof(notes));
        }

        var buffer = new float[(int)Math.Ceiling(seconds * SampleRate)];
        var (harmonics, attack, decay, sustain, release) = Voice(timbre);
        foreach (var note in notes)
        {
            var frequency = 440.0 * Math.Pow(2, (note.Pitch - 69) / 12.0);
            var start = (int)(note.StartStep * stepSeconds * SampleRate);
            var held = note.DurationSteps * stepSeconds;
            var length = (int)((held + release) * SampleRate);
            for (var i = 0; i < length && start + i < buffer.Length; i++)
            {
                var t = i / (double)SampleRate;
                var envelope = Envelope(t, held, attack, decay, sustain, release);
                if (envelope <= 0)
                {
                    continue;
                }

                var vibrato = timbre == Timbre.Flute ? 1 + (0.003 * Math.Sin(2 * Math.PI * 5.0 * t) * Math.Min(1, t / 0.3)) : 1;
                var value = 0.0;
                for (var h = 0; h < harmonics.Length; h++)
                {
                    var (multiple, amplitude, damping) = harmonics[h];
                    if (frequency * multiple >= SampleRate / 2.0)
                    {
                        break;
                    }

                    value += amplitude * Math.Exp(-damping * t) * Math.Sin(2 * Math.PI * frequency * multiple * vibrato * t);
                }

                buffer[start + i] += (float)(Gain * envelope * value);
            }
        }

        return buffer;
    }

    /// <summary>ADSR: linear attack, exponential-ish decay to sustain while held, linear release after.</summary>
    public static double Envelope(double t, double held, double attack, double decay, double sustain, double release)
    {
        double Level(double time) =>
            time < attack ? time / attack
            : time < attack + decay ? 1 - ((1 - sustain) * (time - attack) / decay)
            : sustain;

        if (t < held)
        {
            return Level(t);
        }

        var after = t - held;
        return after >= release ? 0 : Level(held) * (1 - (after / release));
    }

    private static ((double Multiple, double Amplitude, double Damping)[] Harmonics, double Attack, double Decay, double Sustain, double Release) Voice(Timbre timbre) => timbre switch
    {
        Timbre.Flute => ([(1, 1.0, 0), (2, 0.18, 0), (3, 0.05, 0)], 0.04, 0.1, 0.8, 0.12),
        Timbre.Pluck => ([(1, 1.0, 2.5), (2, 0.5, 4), (3, 0.33, 6), (4, 0.2, 8), (5, 0.12, 10)], 0.004, 0.25, 0.35, 0.15),
        Timbre.Square => ([(1, 1.0, 0), (3, 0.33, 0), (5, 0.2, 0), (7, 0.14, 0), (9, 0.11, 0)], 0.01, 0.05, 0.7, 0.06),
        _ => throw new ArgumentOutOfRangeException(nameof(timbre)),
    };
}
