using NAudio.Midi;

namespace ArtGallery.Engines.Studio.Melody;

/// <summary>A melody read from a MIDI file: its notes on the sixteenth grid, metre and tempo.</summary>
public sealed record MidiMelody(IReadOnlyList<MelodyNote> Notes, int StepsPerBar, double Bpm, int SourceTrack);

/// <summary>
/// Reads the melody line of a MIDI file and writes a melody as one (format 1) MIDI file, through
/// NAudio.Midi. Reading picks the track whose notes lie highest on average (folk-tune files carry the
/// tune above a chord track), keeps the top note of each onset, and quantises to sixteenths.
/// </summary>
public static class MelodyMidi
{
    /// <summary>Larger files are not melodies; refusing them bounds memory and time.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>At most 4,096 bars of 4/4 — far beyond any tune.</summary>
    public const int MaxSteps = 65_536;

    private const int WriteTicksPerQuarter = 480;
    private const int DrumChannel = 10;

    public static MidiMelody Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"no MIDI file at {path}", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"{info.Name} is {info.Length:N0} bytes; a melody MIDI file may be at most {MaxFileBytes:N0}");
        }

        using var stream = File.OpenRead(path);
        return Read(stream, info.Name);
    }

    public static MidiMelody Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        MidiFile file;
        try
        {
            using var buffer = new MemoryStream();
            CopyBounded(stream, buffer, name);
            buffer.Position = 0;
            file = new MidiFile(buffer, strictChecking: false);
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or NullReferenceException)
        {
            throw new InvalidDataException($"{name} is not a readable MIDI file: {ex.Message}", ex);
        }

        var tpq = file.DeltaTicksPerQuarterNote;
        if (tpq <= 0 || (tpq & 0x8000) != 0)
        {
            throw new InvalidDataException($"{name} uses SMPTE time or a zero tick rate, which a melody on a beat grid cannot use");
        }

        var stepsPerBar = 16;
        var bpm = 120.0;
        var seenMetre = false;
        var seenTempo = false;
        var bestTrack = -1;
        var bestMean = double.MinValue;
        List<NoteOnEvent> best = [];
        for (var t = 0; t < file.Tracks; t++)
        {
            var notes = new List<NoteOnEvent>();
            foreach (var ev in file.Events[t])
            {
                switch (ev)
                {
                    case TimeSignatureEvent ts when !seenMetre:
                        stepsPerBar = StepsPerBar(ts.Numerator, ts.Denominator);
                        seenMetre = true;
                        break;
                    case TempoEvent tempo when !seenTempo && tempo.MicrosecondsPerQuarterNote > 0:
                        bpm = 60_000_000.0 / tempo.MicrosecondsPerQuarterNote;
                        seenTempo = true;
                        break;
                    case NoteOnEvent on when on.Velocity > 0 && on.Channel != DrumChannel && on.OffEvent is not null:
                        notes.Add(on);
                        break;
                }
            }

            if (notes.Count == 0)
            {
                continue;
            }

            var mean = notes.Average(n => n.NoteNumber);
            if (mean > bestMean)
            {
                (bestTrack, bestMean, best) = (t, mean, notes);
            }
        }

        if (bestTrack < 0)
        {
            throw new InvalidDataException($"{name} has no notes");
        }

        var quantised = TopLine(best.Select(n => (n.NoteNumber, n.AbsoluteTime, (long)n.NoteLength)), tpq);
        if (quantised.Count > 0 && quantised[^1].StartStep + quantised[^1].DurationSteps > MaxSteps)
        {
            throw new InvalidDataException($"{name} is longer than {MaxSteps:N0} sixteenth notes");
        }

        return new MidiMelody(quantised, stepsPerBar, bpm, bestTrack);
    }

    /// <summary>Sixteenth notes in a bar of <paramref name="numerator"/> / 2^<paramref name="denominatorPower"/>.</summary>
    public static int StepsPerBar(int numerator, int denominatorPower)
    {
        var steps = denominatorPower is >= 0 and <= 4 ? numerator * 16 / (1 << denominatorPower) : 16;
        return steps is >= 1 and <= MelodyEvents.PositionCount ? steps : 16;
    }

    /// <summary>
    /// Quantises onsets and lengths to sixteenths (<paramref name="ticksPerQuarter"/> / 4 ticks per
    /// step) and keeps the highest note of each onset; a note ends where the next one starts.
    /// </summary>
    public static IReadOnlyList<MelodyNote> TopLine(IEnumerable<(int Pitch, long StartTick, long LengthTicks)> notes, int ticksPerQuarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerQuarter, 1);
        var ticksPerStep = ticksPerQuarter / (double)MelodyEvents.StepsPerQuarter;
        var byOnset = new SortedDictionary<int, (int Pitch, int End)>();
        foreach (var (pitch, startTick, lengthTicks) in notes)
        {
            var start = (int)Math.Min(MaxSteps + 1, Math.Round(startTick / ticksPerStep));
            var end = (int)Math.Min(MaxSteps + 2, Math.Round((startTick + lengthTicks) / ticksPerStep));
            end = Math.Max(end, start + 1);
            if (!byOnset.TryGetValue(start, out var existing) || pitch > existing.Pitch)
            {
                byOnset[start] = (pitch, end);
            }
        }

        var result = new List<MelodyNote>(byOnset.Count);
        var onsets = byOnset.ToList();
        for (var i = 0; i < onsets.Count; i++)
        {
            var (start, (pitch, end)) = (onsets[i].Key, onsets[i].Value);
            if (i + 1 < onsets.Count)
            {
                end = Math.Min(end, onsets[i + 1].Key);
            }

            result.Add(new MelodyNote(pitch, start, end - start));
        }

        return result;
    }

    /// <summary>A format-1 MIDI file: a tempo/metre track and one melody track on <paramref name="program"/>.</summary>
    public static byte[] Write(IReadOnlyList<MelodyNote> notes, int stepsPerBar, double bpm, int program = 0, string title = "ArtGallery melody")
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentOutOfRangeException.ThrowIfLessThan(bpm, 1.0);
        var ticksPerStep = WriteTicksPerQuarter / MelodyEvents.StepsPerQuarter;
        var collection = new MidiEventCollection(1, WriteTicksPerQuarter);
        var (numerator, denominatorPower) = stepsPerBar % 4 == 0 ? (stepsPerBar / 4, 2) : (stepsPerBar / 2, 3);
        collection.AddEvent(new TextEvent(title, MetaEventType.SequenceTrackName, 0), 0);
        collection.AddEvent(new TempoEvent((int)Math.Round(60_000_000.0 / bpm), 0), 0);
        collection.AddEvent(new TimeSignatureEvent(0, numerator, denominatorPower, 24, 8), 0);
        collection.AddEvent(new PatchChangeEvent(0, 1, Math.Clamp(program, 0, 127)), 1);
        long end = 0;
        foreach (var note in notes)
        {
            var start = (long)note.StartStep * ticksPerStep;
            var length = (int)Math.Max(1, (long)note.DurationSteps * ticksPerStep - 1);
            var on = new NoteOnEvent(start, 1, note.Pitch, 90, length);
            collection.AddEvent(on, 1);
            collection.AddEvent(on.OffEvent, 1);
            end = Math.Max(end, start + length);
        }

        for (var track = 0; track < collection.Tracks; track++)
        {
            collection.AddEvent(new MetaEvent(MetaEventType.EndTrack, 0, track == 0 ? 0 : end + 1), track);
        }

        collection.PrepareForExport();
        return Serialise(collection);
    }

    /// <summary>NAudio exports only to a file path; the chunks are the same when written to memory.</summary>
    private static byte[] Serialise(MidiEventCollection collection)
    {
        using var output = new MemoryStream();
        using (var writer = new BinaryWriter(output, System.Text.Encoding.ASCII, leaveOpen: true))
        {
            writer.Write("MThd"u8);
            WriteBigEndian(writer, 6u);
            WriteBigEndian(writer, (ushort)collection.MidiFileType);
            WriteBigEndian(writer, (ushort)collection.Tracks);
            WriteBigEndian(writer, (ushort)collection.DeltaTicksPerQuarterNote);
            for (var track = 0; track < collection.Tracks; track++)
            {
                using var chunk = new MemoryStream();
                using (var trackWriter = new BinaryWriter(chunk, System.Text.Encoding.ASCII, leaveOpen: true))
                {
                    long absolute = 0;
                    foreach (var ev in collection[track])
                    {
                        ev.Export(ref absolute, trackWriter);
                    }
                }

                writer.Write("MTrk"u8);
                WriteBigEndian(writer, (uint)chunk.Length);
                writer.Write(chunk.GetBuffer(), 0, (int)chunk.Length);
            }
        }

        return output.ToArray();
    }

    private static void WriteBigEndian(BinaryWriter writer, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        writer.Write(bytes);
    }

    private static void WriteBigEndian(BinaryWriter writer, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        writer.Write(bytes);
    }

    private static void CopyBounded(Stream source, MemoryStream destination, string name)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            if (destination.Length + read > MaxFileBytes)
            {
                throw new InvalidDataException($"{name} is larger than {MaxFileBytes:N0} bytes; a melody MIDI file may be at most that");
            }

            destination.Write(buffer, 0, read);
        }
    }
}
