using System.Numerics.Tensors;

namespace ArtGallery.Evaluation.Search;

/// <summary>The k best (id, similarity) pairs offered so far, best first; for exact ground truth.</summary>
public sealed class TopK
{
    private readonly long[] _ids;
    private readonly float[] _scores;

    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _ids = new long[k];
        _scores = new float[k];
    }

    public int Count { get; private set; }

    public ReadOnlySpan<long> Ids => _ids.AsSpan(0, Count);

    public ReadOnlySpan<float> Scores => _scores.AsSpan(0, Count);

    /// <summary>Keeps <paramref name="id"/> if it is among the k highest scores; ties keep the earlier id.</summary>
    public void Offer(long id, float score)
    {
        var k = _ids.Length;
        if (Count == k && score <= _scores[k - 1])
        {
            return;
        }

        // Insertion sort: k is 10, so shifting beats any heap.
        var i = Count < k ? Count++ : k - 1;
        while (i > 0 && _scores[i - 1] < score)
        {
            _ids[i] = _ids[i - 1];
            _scores[i] = _scores[i - 1];
            i--;
        }

        _ids[i] = id;
        _scores[i] = score;
    }
}

public static class KnnMetrics
{
    /// <summary>
    /// Offers one block of catalogue rows to every query's exact top-k. Vectors are L2-normalised, so
    /// the dot product is the cosine similarity and orders exactly as pgvector's cosine distance.
    /// <paramref name="filtered"/>, when given, only sees rows whose category is the query's.
    /// Rows are the outer loop so each row is read from memory once for all the queries given; hand
    /// it a tile of queries that fits in cache (a few dozen) and run tiles in parallel.
    /// </summary>
    public static void ExactScan(
        ReadOnlySpan<float> rows, long firstId, int dimensions, IReadOnlyList<float[]> queries,
        IReadOnlyList<TopK> all, IReadOnlyList<TopK>? filtered = null, Func<long, int>? categoryOfRow = null,
        Func<int, int>? categoryOfQuery = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(all);
        var withFilter = filtered is not null && categoryOfRow is not null && categoryOfQuery is not null;
        var wanted = new int[queries.Count];
        for (var q = 0; q < queries.Count; q++)
        {
            wanted[q] = withFilter ? categoryOfQuery!(q) : -1;
        }

        var count = rows.Length / dimensions;
        for (var r = 0; r < count; r++)
        {
            var row = rows.Slice(r * dimensions, dimensions);
            var id = firstId + r;
            var category = withFilter ? categoryOfRow!(id) : -2;
            for (var q = 0; q < queries.Count; q++)
            {
                var score = TensorPrimitives.Dot(queries[q], row);
                all[q].Offer(id, score);
                if (category == wanted[q])
                {
                    filtered![q].Offer(id, score);
                }
            }
        }
    }

    /// <summary>|found ∩ truth| / k: the share of the true k nearest that the search returned.</summary>
    public static double Recall(ReadOnlySpan<long> truth, IReadOnlyCollection<long> found, int k)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var hits = 0;
        foreach (var id in truth[..Math.Min(k, truth.Length)])
        {
            if (found.Contains(id))
            {
                hits++;
            }
        }

        return (double)hits / k;
    }
}
