namespace ArtGallery.Engines.Studio.Melody;

/// <summary>One note of a monophonic melody on the sixteenth-note grid.</summary>
public readonly record struct MelodyNote(int Pitch, int StartStep, int DurationSteps);

/// <summary>A melody as the model reads it: one event per sixteenth note, and the bar length in steps.</summary>
public sealed record MelodyEventSequence(int[] Events, int StepsPerBar)
{
    public int Length => Events.Length;
}

/// <summary>
/// The melody event encoding of Magenta's Melody RNN: one event per sixteenth-note step, either
/// "hold" (nothing new happens: the note or rest goes on), "rest" (the sounding note stops) or
/// "note-on p" for a pitch in <see cref="MinPitch"/>..<see cref="MaxPitch"/>. Training, evaluation and
/// the app share this one implementation (the training recipe reads what the CLI's
/// <c>music encode</c> writes).
/// </summary>
public static class MelodyEvents
{
    public const int Hold = 0;
    public const int Rest = 1;
    public const int FirstNoteOn = 2;

    /// <summary>C3..B5: three octaves, the range Magenta's Melody RNN uses; other notes are moved by octaves.</summary>
    public const int MinPitch = 48;
    public const int MaxPitch = 83;
    public const int PitchCount = MaxPitch - MinPitch + 1;
    public const int VocabularySize = FirstNoteOn + PitchCount;

    /// <summary>Positions in the bar the model is told about (a bar of up to two 4/4 bars' worth of sixteenths).</summary>
    public const int PositionCount = 32;

    /// <summary>Sixteenth notes per quarter note.</summary>
    public const int StepsPerQuarter = 4;

    public static int NoteOn(int pitch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pitch, MinPitch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pitch, MaxPitch);
        return pitch - MinPitch + FirstNoteOn;
    }

    public static bool IsNoteOn(int ev) => ev >= FirstNoteOn;

    public static int PitchOf(int ev) => ev - FirstNoteOn + MinPitch;

    /// <summary>The position input for the step at <paramref name="step"/> (its place in the bar).</summary>
    public static int PositionOf(int step, int stepsPerBar) => step % stepsPerBar % PositionCount;

    /// <summary>Moves <paramref name="pitch"/> by whole octaves into the model's range.</summary>
    public static int FoldIntoRange(int pitch)
    {
        while (pitch < MinPitch)
        {
            pitch += 12;
        }

        while (pitch > MaxPitch)
        {
            pitch -= 12;
        }

        return pitch;
    }

    /// <summary>
    /// The whole-octave shift that puts most of <paramref name="pitches"/> in range, centring the
    /// melody when it fits either way; notes still outside are folded one by one.
    /// </summary>
    public static int OctaveShiftToFit(IReadOnlyCollection<int> pitches)
    {
        ArgumentNullException.ThrowIfNull(pitches);
        if (pitches.Count == 0)
        {
            return 0;
        }

        var best = 0;
        var bestInside = -1;
        var bestDistance = double.MaxValue;
        var centre = (MinPitch + MaxPitch) / 2.0;
        var mean = pitches.Average();
        for (var shift = -36; shift <= 36; shift += 12)
        {
            var inside = pitches.Count(p => p + shift is >= MinPitch and <= MaxPitch);
            var distance = Math.Abs(mean + shift - centre);
            if (inside > bestInside || (inside == bestInside && distance < bestDistance))
            {
                (best, bestInside, bestDistance) = (shift, inside, distance);
            }
        }

        return best;
    }

    /// <summary>
    /// Encodes non-overlapping notes (a later note cuts an earlier one short). Leading whole bars of
    /// silence are dropped so the first bar keeps its place in the metre.
    /// </summary>
    public static MelodyEventSequence Encode(IReadOnlyList<MelodyNote> notes, int stepsPerBar)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerBar, 1);
        if (notes.Count == 0)
        {
            return new MelodyEventSequence([], stepsPerBar);
        }

        var sorted = notes.OrderBy(n => n.StartStep).ThenByDescending(n => n.Pitch).ToList();
        var origin = sorted[0].StartStep / stepsPerBar * stepsPerBar;
        var last = sorted.Max(n => n.StartStep + Math.Max(1, n.DurationSteps));
        var events = new int[last - origin];
        var sounding = -1;
        var soundingEnd = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var note = sorted[i];
            var start = note.StartStep - origin;
            if (i > 0 && note.StartStep == sorted[i - 1].StartStep)
            {
                continue;
            }

            if (sounding >= 0 && soundingEnd < start)
            {
                events[soundingEnd] = Rest;
            }

            events[start] = NoteOn(FoldIntoRange(note.Pitch));
            sounding = start;
            soundingEnd = start + Math.Max(1, note.DurationSteps);
        }

        // A note that ends before the sequence does leaves a trailing rest; the sequence ends with the last note.
        if (events.Length > 0 && events[0] == Hold)
        {
            events[0] = Rest;
        }

        return new MelodyEventSequence(events, stepsPerBar);
    }

    /// <summary>Decodes events back into notes; a hold after a rest is silence.</summary>
    public static IReadOnlyList<MelodyNote> Decode(ReadOnlySpan<int> events)
    {
        var notes = new List<MelodyNote>();
        var pitch = -1;
        var start = 0;
        for (var step = 0; step < events.Length; step++)
        {
            var ev = events[step];
            if (ev == Hold)
            {
                continue;
            }

            if (pitch >= 0)
            {
                notes.Add(new MelodyNote(pitch, start, step - start));
                pitch = -1;
            }

            if (IsNoteOn(ev))
            {
                if (ev >= VocabularySize)
                {
                    throw new ArgumentOutOfRangeException(nameof(events), $"event {ev} at step {step} is outside the vocabulary (0..{VocabularySize - 1})");
                }

                pitch = PitchOf(ev);
                start = step;
            }
            else if (ev != Rest)
            {
                throw new ArgumentOutOfRangeException(nameof(events), $"event {ev} at step {step} is outside the vocabulary (0..{VocabularySize - 1})");
            }
        }

        if (pitch >= 0)
        {
            notes.Add(new MelodyNote(pitch, start, events.Length - start));
        }

        return notes;
    }
}
