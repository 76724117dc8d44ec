namespace ArtGallery.Engines.Studio.Poetry;

/// <summary>
/// Interpolated Kneser-Ney n-gram model (Chen &amp; Goodman's formulation, one discount per order,
/// D = n1 / (n1 + 2 n2)): the baseline `eval poems` compares the LSTM with, on the same token ids.
/// The highest order uses counts, lower orders continuation counts (how many distinct words precede
/// the n-gram); a history never seen backs off to the order below, and the unigram level
/// interpolates with the uniform distribution so every token has a probability.
/// </summary>
public sealed class KneserNeyModel
{
    private const int BitsPerId = 16;

    private readonly int _order;
    private readonly int _vocabularySize;
    private readonly Dictionary<ulong, int>[] _counts;
    private readonly Dictionary<ulong, int>[] _historyTotals;
    private readonly Dictionary<ulong, int>[] _historyTypes;
    private readonly double[] _discounts;

    private KneserNeyModel(int order, int vocabularySize)
    {
        _order = order;
        _vocabularySize = vocabularySize;
        _counts = new Dictionary<ulong, int>[order + 1];
        _historyTotals = new Dictionary<ulong, int>[order + 1];
        _historyTypes = new Dictionary<ulong, int>[order + 1];
        _discounts = new double[order + 1];
        for (var n = 1; n <= order; n++)
        {
            (_counts[n], _historyTotals[n], _historyTypes[n]) = ([], [], []);
        }
    }

    public int Order => _order;

    public IReadOnlyList<double> Discounts => _discounts;

    /// <summary>Trains on sequences of ids (each one a poem; n-grams do not cross sequences).</summary>
    public static KneserNeyModel Train(IEnumerable<int[]> sequences, int order, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vocabularySize, 1 << BitsPerId);
        var model = new KneserNeyModel(order, vocabularySize);
        var top = model._counts[order];
        foreach (var s in sequences)
        {
            // Highest order: every n-gram ending at each position (shorter at the start of a sequence).
            for (var end = 1; end < s.Length; end++)
            {
                var start = Math.Max(0, end - order + 1);
                if (end - start + 1 == order)
                {
                    Increment(top, Key(s, start, end + 1));
                }
                else
                {
                    // Near the start the full history does not exist: count the shorter n-gram as seen.
                    Increment(model._counts[end - start + 1], Key(s, start, end + 1));
                }
            }
        }

        // Continuation counts: each distinct n-gram adds one to its suffix one order down.
        for (var n = order; n >= 2; n--)
        {
            foreach (var key in model._counts[n].Keys)
            {
                Increment(model._counts[n - 1], Suffix(key, n));
            }
        }

        for (var n = 1; n <= order; n++)
        {
            long n1 = 0, n2 = 0;
            foreach (var (key, count) in model._counts[n])
            {
                var history = key >> BitsPerId;
                model._historyTotals[n][history] = model._historyTotals[n].GetValueOrDefault(history) + count;
                model._historyTypes[n][history] = model._historyTypes[n].GetValueOrDefault(history) + 1;
                n1 += count == 1 ? 1 : 0;
                n2 += count == 2 ? 1 : 0;
            }

            model._discounts[n] = n1 + n2 == 0 ? 0.5 : n1 / (double)(n1 + 2 * n2);
        }

        return model;
    }

    /// <summary>P(token | up to order-1 tokens before it), as a natural log.</summary>
    public double LogProbability(ReadOnlySpan<int> history, int token)
    {
        var h = history.Length > _order - 1 ? history[^(_order - 1)..] : history;
        return Math.Log(Probability(h, token));
    }

    private double Probability(ReadOnlySpan<int> history, int token)
    {
        var n = history.Length + 1;
        if (n == 1)
        {
            var total = _historyTotals[1].GetValueOrDefault(0UL);
            var uniform = 1.0 / _vocabularySize;
            if (total == 0)
            {
                return uniform;
            }

            var c1 = _counts[1].GetValueOrDefault((ulong)token);
            return (Math.Max(c1 - _discounts[1], 0) + _discounts[1] * _historyTypes[1][0UL] * uniform) / total;
        }

        var historyKey = Key(history);
        var lower = Probability(history[1..], token);
        if (!_historyTotals[n].TryGetValue(historyKey, out var sum))
        {
            return lower;
        }

        var c = _counts[n].GetValueOrDefault((historyKey << BitsPerId) | (uint)token);
        var d = _discounts[n];
        return (Math.Max(c - d, 0) + d * _historyTypes[n][historyKey] * lower) / sum;
    }

    private static void Increment(Dictionary<ulong, int> counts, ulong key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private static ulong Key(ReadOnlySpan<int> ids, int start, int end)
    {
        ulong key = 0;
        for (var i = start; i < end; i++)
        {
            key = (key << BitsPerId) | (uint)ids[i];
        }

        return key;
    }

    private static ulong Key(ReadOnlySpan<int> ids) => Key(ids, 0, ids.Length);

    private static ulong Suffix(ulong key, int n) => key & ((1UL << (BitsPerId * (n - 1))) - 1);
}
