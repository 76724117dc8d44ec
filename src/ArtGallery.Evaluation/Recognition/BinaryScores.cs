namespace ArtGallery.Evaluation.Recognition;

/// <summary>Ranking figures of a binary scorer: how well its scores put positives above negatives.</summary>
public static class BinaryScores
{
    /// <summary>
    /// Area under the ROC curve: the chance that a random positive scores above a random negative,
    /// ties counting one half (the Mann–Whitney U statistic over n⁺·n⁻).
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var (order, pos, neg) = Prepare(scores, positive);
        var rankSum = 0.0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            // Tied scores share the mean of their ranks (1-based).
            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                rankSum += positive[order[k]] ? rank : 0;
            }

            start = end + 1;
        }

        return (rankSum - (pos * (pos + 1) / 2.0)) / ((double)pos * neg);
    }

    /// <summary>
    /// Average precision: the precision at each threshold weighted by the recall it adds, thresholds
    /// at each distinct score from the highest down (scikit-learn's <c>average_precision_score</c>).
    /// A random scorer's AP is the positives' share.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var (order, pos, _) = Prepare(scores, positive);
        Array.Reverse(order);
        double ap = 0, truePositives = 0, previousRecall = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            for (var k = start; k <= end; k++)
            {
                truePositives += positive[order[k]] ? 1 : 0;
            }

            var recall = truePositives / pos;
            ap += (recall - previousRecall) * (truePositives / (end + 1));
            previousRecall = recall;
            start = end + 1;
        }

        return ap;
    }

    /// <summary>Indexes by ascending score, and the counts of positives and negatives (both must be present).</summary>
    private static (int[] Order, int Positives, int Negatives) Prepare(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count)
        {
            throw new ArgumentException("One label per score.", nameof(positive));
        }

        var pos = positive.Count(p => p);
        var neg = positive.Count - pos;
        if (pos == 0 || neg == 0)
        {
            throw new ArgumentException("Ranking figures need at least one positive and one negative.", nameof(positive));
        }

        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        return (order, pos, neg);
    }
}
