namespace ArtGallery.Engines.Studio.Melody;

/// <summary>What to compose. <see cref="Validate"/> says, in words, what is wrong with a request.</summary>
public sealed record MelodyRequest : IEngineRequest
{
    public const int MaxBars = 32;
    public const double MinBpm = 40;
    public const double MaxBpm = 240;

    /// <summary>The register must leave at least an octave to move in.</summary>
    public const int MinRegisterSpan = 12;

    public int Bars { get; init; } = 8;

    /// <summary>3 or 4 quarter-note beats per bar.</summary>
    public int BeatsPerBar { get; init; } = 4;

    public double Temperature { get; init; } = 1.0;

    /// <summary>0 keeps every allowed event.</summary>
    public int TopK { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Without a key every pitch is allowed.</summary>
    public MusicalKey? Key { get; init; }

    public int LowPitch { get; init; } = 55;

    public int HighPitch { get; init; } = 79;

    public double Bpm { get; init; } = 110;

    /// <summary>Notes the melody starts with (on the sixteenth grid from step 0), continued by the model.</summary>
    public IReadOnlyList<MelodyNote> Primer { get; init; } = [];

    public int StepsPerBar => BeatsPerBar * MelodyEvents.StepsPerQuarter;

    public int TotalSteps => Bars * StepsPerBar;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Bars is < 1 or > MaxBars)
        {
            problems.Add($"length must be 1 to {MaxBars} bars (got {Bars})");
        }

        if (BeatsPerBar is not (3 or 4))
        {
            problems.Add($"a bar has 3 or 4 beats (got {BeatsPerBar})");
        }

        if (!double.IsFinite(Temperature) || Temperature < MelodySampler.MinTemperature || Temperature > MelodySampler.MaxTemperature)
        {
            problems.Add($"temperature must be between {MelodySampler.MinTemperature} and {MelodySampler.MaxTemperature} (got {Temperature})");
        }

        if (TopK is < 0 or > MelodyEvents.VocabularySize)
        {
            problems.Add($"top-k must be 0 (off) to {MelodyEvents.VocabularySize} (got {TopK})");
        }

        if (!double.IsFinite(Bpm) || Bpm < MinBpm || Bpm > MaxBpm)
        {
            problems.Add($"tempo must be {MinBpm} to {MaxBpm} beats per minute (got {Bpm})");
        }

        if (LowPitch < MelodyEvents.MinPitch || HighPitch > MelodyEvents.MaxPitch || HighPitch - LowPitch < MinRegisterSpan)
        {
            problems.Add($"the register must lie within MIDI {MelodyEvents.MinPitch}..{MelodyEvents.MaxPitch} and span at least {MinRegisterSpan} semitones (got {LowPitch}..{HighPitch})");
        }

        if (Primer.Any(n => n.Pitch < MelodyEvents.MinPitch || n.Pitch > MelodyEvents.MaxPitch || n.StartStep < 0 || n.DurationSteps < 1))
        {
            problems.Add($"primer notes must have pitches {MelodyEvents.MinPitch}..{MelodyEvents.MaxPitch} and positive lengths");
        }
        else if (Primer.Count > 0 && problems.Count == 0 && Primer.Max(n => n.StartStep + n.DurationSteps) >= TotalSteps)
        {
            problems.Add("the primer must be shorter than the melody");
        }

        return problems;
    }
}

/// <summary>A composed melody: its events, notes, and the settings it was made with.</summary>
public sealed record Melody(MelodyRequest Request, int[] Events, IReadOnlyList<MelodyNote> Notes, int PrimerSteps)
{
    public double Seconds => Events.Length * 60.0 / (Request.Bpm * MelodyEvents.StepsPerQuarter);
}
