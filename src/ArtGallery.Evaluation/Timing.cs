namespace ArtGallery.Evaluation;

/// <summary>The one definition of the timings and percentiles every bench prints.</summary>
public static class Timing
{
    /// <summary>
    /// Linear-interpolated percentile (0–100) of the values, as numpy's default; NaN for none. The
    /// median is the 50th: for an even count, the mean of the two middle values.
    /// </summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = percentile / 100 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }

    /// <summary><see cref="Percentile"/> 50.</summary>
    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);

    /// <summary>Wall-clock milliseconds of one call.</summary>
    public static double Milliseconds(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// Times every side once a round, in turn (each gets the round number), so a shared machine's
    /// drift touches all of them alike; with <paramref name="rotate"/> each round starts one side
    /// further along. One list of milliseconds per side, in the order given.
    /// </summary>
    public static List<double>[] Alternate(int rounds, bool rotate, params Action<int>[] sides)
    {
        ArgumentNullException.ThrowIfNull(sides);
        var times = sides.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < sides.Length; i++)
            {
                var side = rotate ? (round + i) % sides.Length : i;
                var r = round;
                times[side].Add(Milliseconds(() => sides[side](r)));
            }
        }

        return times;
    }

    /// <summary>A fixed pseudo-random 224×224 encoder input (seed 3), for timing forward passes without an image.</summary>
    public static float[] EncoderNoise()
    {
        var tensor = new float[3 * EncoderPreprocessing.Size * EncoderPreprocessing.Size];
        var random = new Random(3);
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = (float)((random.NextDouble() * 255) - 128);
        }

        return tensor;
    }
}
