namespace ArtGallery.Engines.Runtime;

/// <summary>Arithmetic on one row of a model's logits, shared by the sequence models (melody, poem).</summary>
public static class Logits
{
    /// <summary>Log-softmax of <paramref name="logits"/> at <paramref name="index"/>, in nats (max-shifted, so large logits do not overflow).</summary>
    public static double LogSoftmaxAt(ReadOnlySpan<float> logits, int index)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var sum = 0.0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - max);
        }

        return logits[index] - max - Math.Log(sum);
    }
}
