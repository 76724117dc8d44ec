using System.Collections.Concurrent;
using System.Numerics.Tensors;

namespace ArtGallery.Core.Search;

/// <summary>
/// Turns a cosine similarity into a score a person can read: how it compares with this collection's
/// own neighbours. Raw cosines of the encoder's ReLU features crowd between 0.95 and 0.98 for almost
/// any pair, so "0.971" says nothing; "83 % match" says the pair is closer than 83 % of the pairs a
/// work of this collection has with its <see cref="Neighbours"/> nearest works, under the same blend of
/// style and content. A photo unlike everything here scores near 0 % even when its cosine is 0.96.
/// </summary>
public sealed partial class SimilarityScale(IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider clock, ILogger<SimilarityScale> logger) : IDisposable
{
    /// <summary>Works whose neighbours make up the distribution (an even spread over the collection).</summary>
    public const int SampleWorks = 200;

    /// <summary>Neighbours per sampled work: a page of similar works.</summary>
    public const int Neighbours = SimilarQuery.DefaultCount;

    /// <summary>Works the sampled ones are compared with (an even spread when the collection is larger).</summary>
    public const int MaxReferenceWorks = 5000;

    /// <summary>A scale older than this is rebuilt on its next use, so imports move it.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (NeighbourDistribution? Scale, DateTimeOffset Built)> _scales = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The scale of one encoder version's vectors; null while the collection has fewer than two embedded works.</summary>
    public async Task<NeighbourDistribution?> GetAsync(string encoderVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoderVersion);
        if (_scales.TryGetValue(encoderVersion, out var cached) && clock.GetUtcNow() - cached.Built < MaxAge)
        {
            return cached.Scale;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_scales.TryGetValue(encoderVersion, out cached) && clock.GetUtcNow() - cached.Built < MaxAge)
            {
                return cached.Scale;
            }

            var started = clock.GetTimestamp();
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var total = await db.Embeddings.CountAsync(e => e.EncoderVersion == encoderVersion, cancellationToken);
            var step = Math.Max(1, (int)Math.Ceiling(total / (double)MaxReferenceWorks));
            var rows = await db.Embeddings.AsNoTracking().Where(e => e.EncoderVersion == encoderVersion)
                .OrderBy(e => e.ArtworkId).Select(e => new { e.ArtworkId, e.Style, e.Content }).ToListAsync(cancellationToken);
            var vectors = rows.Where((_, i) => i % step == 0).Select(r => (r.Style.ToArray(), r.Content.ToArray())).ToList();
            var scale = await Task.Run(() => NeighbourDistribution.Build(vectors), cancellationToken);
            _scales[encoderVersion] = (scale, clock.GetUtcNow());
            LogBuilt(logger, encoderVersion, vectors.Count, clock.GetElapsedTime(started).TotalMilliseconds);
            return scale;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Similarity scale for encoder {Version}: {Works} works in {Ms:0} ms")]
    private static partial void LogBuilt(ILogger logger, string version, int works, double ms);
}

/// <summary>
/// The cosine similarities between sampled works and their nearest neighbours, by style and by
/// content, from which the distribution for any blend weight follows.
/// </summary>
public sealed class NeighbourDistribution
{
    private readonly float[][] _style;   // [sample][reference] cosine, NaN for the work itself
    private readonly float[][] _content;
    private readonly ConcurrentDictionary<int, double[]> _byWeight = new();

    private NeighbourDistribution(float[][] style, float[][] content)
    {
        _style = style;
        _content = content;
    }

    /// <summary>Sampled works behind the scale.</summary>
    public int SampledWorks => _style.Length;

    /// <summary>Builds the scale from every work's (style, content) vectors; null with fewer than two works.</summary>
    public static NeighbourDistribution? Build(IReadOnlyList<(float[] Style, float[] Content)> works)
    {
        ArgumentNullException.ThrowIfNull(works);
        if (works.Count < 2)
        {
            return null;
        }

        var styles = works.Select(w => UnitVector.Of(w.Style)).ToArray();
        var contents = works.Select(w => UnitVector.Of(w.Content)).ToArray();
        var step = Math.Max(1.0, works.Count / (double)SimilarityScale.SampleWorks);
        var samples = Enumerable.Range(0, Math.Min(works.Count, SimilarityScale.SampleWorks)).Select(i => (int)(i * step)).Distinct().ToArray();
        var style = new float[samples.Length][];
        var content = new float[samples.Length][];
        for (var s = 0; s < samples.Length; s++)
        {
            style[s] = new float[works.Count];
            content[s] = new float[works.Count];
            for (var j = 0; j < works.Count; j++)
            {
                var self = j == samples[s];
                style[s][j] = self ? float.NaN : TensorPrimitives.Dot(styles[samples[s]], styles[j]);
                content[s][j] = self ? float.NaN : TensorPrimitives.Dot(contents[samples[s]], contents[j]);
            }
        }

        return new NeighbourDistribution(style, content);
    }

    /// <summary>
    /// The share (0..1) of sampled neighbour pairs, under <paramref name="styleWeight"/>, that are at most
    /// as similar as <paramref name="similarity"/>: 1 at or above the closest neighbour pair, 0 below
    /// the farthest.
    /// </summary>
    public double Match(double similarity, double styleWeight)
    {
        var sorted = Sorted(styleWeight);
        var below = CountAtMost(sorted, similarity);
        if (below == 0)
        {
            return 0;
        }

        if (below == sorted.Length)
        {
            return 1;
        }

        // Linear between neighbouring order statistics, so the scale has no steps.
        var fraction = (similarity - sorted[below - 1]) / (sorted[below] - sorted[below - 1]);
        return (below + fraction) / sorted.Length;
    }

    /// <summary>The cosine similarity at which <see cref="Match"/> reaches <paramref name="match"/> (the slider's threshold).</summary>
    public double SimilarityAt(double match, double styleWeight)
    {
        var sorted = Sorted(styleWeight);
        if (double.IsNaN(match) || match <= 0)
        {
            return double.NegativeInfinity;
        }

        var position = match * sorted.Length;
        if (position < 1)
        {
            return sorted[0];
        }

        if (position >= sorted.Length)
        {
            return sorted[^1];
        }

        var below = (int)Math.Floor(position);
        return sorted[below - 1] + ((position - below) * (sorted[below] - sorted[below - 1]));
    }

    /// <summary>How many of <paramref name="sorted"/> are at most <paramref name="value"/> (NaN: none).</summary>
    private static int CountAtMost(double[] sorted, double value)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private double[] Sorted(double styleWeight)
    {
        // Weights on a 1 % grid: the slider moves in steps of 5 %, and each weight costs one pass.
        var key = (int)Math.Round(Math.Clamp(double.IsNaN(styleWeight) ? SimilarQuery.DefaultStyleWeight : styleWeight, 0, 1) * 100);
        return _byWeight.GetOrAdd(key, k =>
        {
            var w = k / 100.0;
            var all = new List<double>(_style.Length * SimilarityScale.Neighbours);
            var blended = new double[_style[0].Length];
            for (var s = 0; s < _style.Length; s++)
            {
                var count = 0;
                for (var j = 0; j < blended.Length; j++)
                {
                    if (!float.IsNaN(_style[s][j]))
                    {
                        blended[count++] = (w * _style[s][j]) + ((1 - w) * _content[s][j]);
                    }
                }

                var row = blended.AsSpan(0, count);
                row.Sort();
                var take = Math.Min(SimilarityScale.Neighbours, count);
                for (var t = 0; t < take; t++)
                {
                    all.Add(row[count - 1 - t]);
                }
            }

            var sorted = all.ToArray();
            Array.Sort(sorted);
            return sorted;
        });
    }
}
