namespace ArtGallery.Engines.Studio.Poetry;

/// <summary>
/// Picking the next token from the model's logits: a mask of allowed tokens, temperature, top-k,
/// then nucleus (top-p). Pure, so the constraints are testable without a model.
/// </summary>
public static class PoemSampler
{
    public const double MinTemperature = 0.05;
    public const double MaxTemperature = 2.0;

    public static int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<bool> allowed, double temperature, int topK, double topP, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (logits.Length != allowed.Length)
        {
            throw new ArgumentException("logits and mask differ in length", nameof(allowed));
        }

        var candidates = new List<(int Index, double Logit)>(256);
        for (var i = 0; i < logits.Length; i++)
        {
            if (allowed[i] && float.IsFinite(logits[i]))
            {
                candidates.Add((i, logits[i] / temperature));
            }
        }

        if (candidates.Count == 0)
        {
            throw new InvalidOperationException("no token is allowed at this step");
        }

        // Ties broken by index so the same seed gives the same poem whatever the sort's stability.
        candidates.Sort((a, b) => b.Logit != a.Logit ? b.Logit.CompareTo(a.Logit) : a.Index.CompareTo(b.Index));
        if (topK > 0 && topK < candidates.Count)
        {
            candidates.RemoveRange(topK, candidates.Count - topK);
        }

        var max = candidates[0].Logit;
        var weights = candidates.Select(c => Math.Exp(c.Logit - max)).ToList();
        var total = weights.Sum();
        if (topP < 1)
        {
            var kept = 0;
            var mass = 0.0;
            while (kept < weights.Count && mass < topP * total)
            {
                mass += weights[kept++];
            }

            weights.RemoveRange(kept, weights.Count - kept);
            total = mass;
        }

        var draw = random.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            draw -= weights[i];
            if (draw <= 0)
            {
                return candidates[i].Index;
            }
        }

        return candidates[weights.Count - 1].Index;
    }
}
