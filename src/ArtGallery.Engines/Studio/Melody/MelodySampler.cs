namespace ArtGallery.Engines.Studio.Melody;

/// <summary>
/// Picking the next event from the model's logits: a mask of allowed events (key, register),
/// temperature, then top-k. Pure, so the constraints are testable without a model.
/// </summary>
public static class MelodySampler
{
    public const double MinTemperature = 0.05;
    public const double MaxTemperature = 3.0;

    /// <summary>Which events may follow: holds and rests always; note-ons in the key and register.</summary>
    public static bool[] AllowedEvents(MusicalKey? key, int lowPitch, int highPitch)
    {
        var allowed = new bool[MelodyEvents.VocabularySize];
        allowed[MelodyEvents.Hold] = true;
        allowed[MelodyEvents.Rest] = true;
        for (var pitch = MelodyEvents.MinPitch; pitch <= MelodyEvents.MaxPitch; pitch++)
        {
            allowed[MelodyEvents.NoteOn(pitch)] = pitch >= lowPitch && pitch <= highPitch && (key is not { } k || k.Contains(pitch));
        }

        return allowed;
    }

    /// <summary>
    /// Samples an event index: logits outside <paramref name="allowed"/> are dropped, the rest divided
    /// by <paramref name="temperature"/>, and with <paramref name="topK"/> &gt; 0 only the k likeliest kept.
    /// </summary>
    public static int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<bool> allowed, double temperature, int topK, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (logits.Length != allowed.Length)
        {
            throw new ArgumentException("logits and mask differ in length", nameof(allowed));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(temperature, MinTemperature);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(temperature, MaxTemperature);
        var candidates = new List<(int Index, double Logit)>(logits.Length);
        for (var i = 0; i < logits.Length; i++)
        {
            if (allowed[i] && float.IsFinite(logits[i]))
            {
                candidates.Add((i, logits[i] / temperature));
            }
        }

        if (candidates.Count == 0)
        {
            throw new InvalidOperationException("no event is allowed at this step");
        }

        if (topK > 0 && topK < candidates.Count)
        {
            candidates.Sort((a, b) => b.Logit.CompareTo(a.Logit));
            candidates.RemoveRange(topK, candidates.Count - topK);
        }

        var max = candidates.Max(c => c.Logit);
        var weights = candidates.Select(c => Math.Exp(c.Logit - max)).ToArray();
        var draw = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            draw -= weights[i];
            if (draw <= 0)
            {
                return candidates[i].Index;
            }
        }

        return candidates[^1].Index;
    }

    /// <summary>Log-softmax of one row of logits, in nats.</summary>
    public static double LogProbability(ReadOnlySpan<float> logits, int index) => Logits.LogSoftmaxAt(logits, index);
}
