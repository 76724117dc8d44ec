namespace ArtGallery.Engines.Studio.Melody;

/// <summary>Pitch and repetition statistics of a melody, compared between samples and the corpus.</summary>
public static class MelodyStatistics
{
    public static double PitchRange(IReadOnlyList<MelodyNote> notes) =>
        notes.Count == 0 ? 0 : notes.Max(n => n.Pitch) - notes.Min(n => n.Pitch);

    public static double DistinctPitches(IReadOnlyList<MelodyNote> notes) => notes.Select(n => n.Pitch).Distinct().Count();

    public static double MeanInterval(IReadOnlyList<MelodyNote> notes) =>
        notes.Count < 2 ? 0 : Enumerable.Range(1, notes.Count - 1).Average(i => Math.Abs(notes[i].Pitch - notes[i - 1].Pitch));

    /// <summary>Share of notes that repeat the previous note's pitch.</summary>
    public static double RepeatedPitchShare(IReadOnlyList<MelodyNote> notes) =>
        notes.Count < 2 ? 0 : Enumerable.Range(1, notes.Count - 1).Count(i => notes[i].Pitch == notes[i - 1].Pitch) / (double)(notes.Count - 1);

    /// <summary>Share of 4-note interval patterns (transposition-free) that already occurred earlier in the melody: motif reuse.</summary>
    public static double RepeatedPatternShare(IReadOnlyList<MelodyNote> notes)
    {
        if (notes.Count < 5)
        {
            return 0;
        }

        var seen = new HashSet<(int, int, int)>();
        var repeated = 0;
        var total = 0;
        for (var i = 3; i < notes.Count; i++)
        {
            var pattern = (notes[i - 2].Pitch - notes[i - 3].Pitch, notes[i - 1].Pitch - notes[i - 2].Pitch, notes[i].Pitch - notes[i - 1].Pitch);
            total++;
            if (!seen.Add(pattern))
            {
                repeated++;
            }
        }

        return repeated / (double)total;
    }
}

/// <summary>Count-based next-event models fitted on training tunes: the baselines of <c>eval music</c>.</summary>
public static class EventBaselines
{
    /// <summary>P(next) with add-one smoothing over the vocabulary.</summary>
    public static double[] Unigram(IEnumerable<MelodyEventSequence> tunes)
    {
        var counts = new double[MelodyEvents.VocabularySize];
        foreach (var tune in tunes)
        {
            for (var t = 1; t < tune.Length; t++)
            {
                counts[tune.Events[t]]++;
            }
        }

        var total = counts.Sum() + counts.Length;
        return [.. counts.Select(c => (c + 1) / total)];
    }

    /// <summary>P(next | previous) with add-<paramref name="alpha"/> smoothing.</summary>
    public static double[,] Bigram(IEnumerable<MelodyEventSequence> tunes, double alpha)
    {
        var v = MelodyEvents.VocabularySize;
        var counts = new double[v, v];
        foreach (var tune in tunes)
        {
            for (var t = 1; t < tune.Length; t++)
            {
                counts[tune.Events[t - 1], tune.Events[t]]++;
            }
        }

        for (var prev = 0; prev < v; prev++)
        {
            var row = 0.0;
            for (var next = 0; next < v; next++)
            {
                row += counts[prev, next];
            }

            for (var next = 0; next < v; next++)
            {
                counts[prev, next] = (counts[prev, next] + alpha) / (row + (alpha * v));
            }
        }

        return counts;
    }

    /// <summary>Mean negative log-likelihood (nats) of every event after the first.</summary>
    public static double Nll(IEnumerable<MelodyEventSequence> tunes, Func<int, int, double> probability)
    {
        ArgumentNullException.ThrowIfNull(probability);
        double total = 0;
        long count = 0;
        foreach (var tune in tunes)
        {
            for (var t = 1; t < tune.Length; t++)
            {
                total -= Math.Log(probability(tune.Events[t - 1], tune.Events[t]));
                count++;
            }
        }

        return count == 0 ? double.NaN : total / count;
    }
}
