using System.Diagnostics;

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
}
