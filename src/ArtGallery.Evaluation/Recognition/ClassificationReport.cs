namespace ArtGallery.Evaluation.Recognition;

/// <summary>Accuracy figures of a classifier on labelled examples: top-k, per class, macro F1, confusion, calibration.</summary>
/// <param name="Confusion">[actual, predicted] counts.</param>
/// <param name="ExpectedCalibrationError">Mean |confidence − accuracy| over 10 equal-width confidence bins, weighted by bin size.</param>
public sealed record ClassificationReport(IReadOnlyList<string> Classes, int[,] Confusion, double Top1, double Top3, double ExpectedCalibrationError)
{
    public int Total(int actual) => Enumerable.Range(0, Classes.Count).Sum(p => Confusion[actual, p]);

    public double Recall(int actual) => Total(actual) == 0 ? 0 : (double)Confusion[actual, actual] / Total(actual);

    public double Precision(int predicted)
    {
        var column = Enumerable.Range(0, Classes.Count).Sum(a => Confusion[a, predicted]);
        return column == 0 ? 0 : (double)Confusion[predicted, predicted] / column;
    }

    public double F1(int c)
    {
        var (p, r) = (Precision(c), Recall(c));
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Unweighted mean of the per-class F1 over the classes present in the test set.</summary>
    public double MacroF1
    {
        get
        {
            var present = Enumerable.Range(0, Classes.Count).Where(c => Total(c) > 0).ToList();
            return present.Count == 0 ? 0 : present.Average(F1);
        }
    }

    /// <summary>
    /// Scores <paramref name="probabilities"/> (one distribution over <paramref name="classes"/> per
    /// example) against <paramref name="actual"/> labels. A label the classifier has never seen
    /// counts as wrong in every top-k.
    /// </summary>
    public static ClassificationReport Create(IReadOnlyList<string> classes, IReadOnlyList<float[]> probabilities, IReadOnlyList<string> actual)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(actual);
        if (probabilities.Count != actual.Count || probabilities.Count == 0)
        {
            throw new ArgumentException("One prediction per labelled example, and at least one example.", nameof(probabilities));
        }

        var all = classes.Union(actual, StringComparer.Ordinal).ToList();
        var index = all.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var confusion = new int[all.Count, all.Count];
        int top1 = 0, top3 = 0;
        var bins = new (double Confidence, int Correct, int Count)[10];
        for (var n = 0; n < probabilities.Count; n++)
        {
            var ranked = Enumerable.Range(0, classes.Count).OrderByDescending(c => probabilities[n][c]).ThenBy(c => c).ToArray();
            var truth = index[actual[n]];
            var best = ranked[0];
            confusion[truth, best]++;
            var correct = all[best] == actual[n];
            top1 += correct ? 1 : 0;
            top3 += ranked.Take(3).Any(c => all[c] == actual[n]) ? 1 : 0;
            var confidence = probabilities[n][best];
            var bin = Math.Clamp((int)(confidence * 10), 0, 9);
            bins[bin] = (bins[bin].Confidence + confidence, bins[bin].Correct + (correct ? 1 : 0), bins[bin].Count + 1);
        }

        var total = probabilities.Count;
        var ece = bins.Where(b => b.Count > 0).Sum(b => Math.Abs((b.Confidence / b.Count) - ((double)b.Correct / b.Count)) * b.Count / total);
        return new ClassificationReport(all, confusion, (double)top1 / total, (double)top3 / total, ece);
    }
}
