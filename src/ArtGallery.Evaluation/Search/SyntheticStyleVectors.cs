using System.Numerics.Tensors;

namespace ArtGallery.Evaluation.Search;

/// <summary>
/// Deterministic stand-ins for style embeddings, for benchmarking nearest-neighbour search at
/// catalogue sizes the demo cannot reach. Uniform random vectors would be the wrong test: in 1024
/// dimensions they are all nearly orthogonal, with no neighbourhoods for an index to find. Real
/// style descriptors are statistics of a few hundred correlated CNN channels: they live near a
/// low-dimensional subspace, group by school and technique, and are non-negative before the
/// descriptor's power and L2 normalisation. So each vector is a skewed mixture of clusters in a
/// low-rank latent space, lifted to 1024 dimensions with full-rank noise, made non-negative
/// (softplus, like pooled ReLU statistics), then normalised exactly like
/// <c>StyleDescriptors.StyleEmbedding</c>: per block signed square root and L2, then L2 overall.
/// </summary>
public sealed class SyntheticStyleVectors
{
    public const int Dimensions = 1024;

    /// <summary>The product's style blocks: [means, stds] of conv1, stage 1, stage 2 and stage 3.</summary>
    private static readonly int[] BlockLengths = [128, 128, 256, 512];

    // Vector i of the catalogue and query j come from separate streams, so queries are held out.
    private const ulong CatalogueStream = 0x0C47A106UL;
    private const ulong QueryStream = 0x0DE7A15EUL;

    private readonly ulong _seed;
    private readonly float[][] _basis;
    private readonly float[][] _centres;
    private readonly float[] _offset;

    public SyntheticStyleVectors(int seed, int rank = 32, int clusters = 200, float spread = 0.5f, float noise = 0.25f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        _seed = (ulong)seed;
        Rank = rank;
        Clusters = clusters;
        Spread = spread;
        Noise = noise;
        var random = new SplitMix64(Mix(_seed, 0xBA515UL, 0));

        // Columns scaled by 1/sqrt(rank) so a unit-variance latent gives unit-variance coordinates.
        var scale = 1f / MathF.Sqrt(rank);
        _basis = new float[rank][];
        for (var r = 0; r < rank; r++)
        {
            _basis[r] = new float[Dimensions];
            for (var d = 0; d < Dimensions; d++)
            {
                _basis[r][d] = (float)random.NextGaussian() * scale;
            }
        }

        _centres = new float[clusters][];
        for (var c = 0; c < clusters; c++)
        {
            _centres[c] = new float[rank];
            for (var r = 0; r < rank; r++)
            {
                _centres[c][r] = (float)random.NextGaussian();
            }
        }

        // Channels differ in their typical activation level, as real ReLU statistics do.
        _offset = new float[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            _offset[d] = (float)(random.NextGaussian() * 0.5);
        }
    }

    public int Rank { get; }

    public int Clusters { get; }

    public float Spread { get; }

    public float Noise { get; }

    /// <summary>Catalogue vector <paramref name="index"/>; the same for any chunking or thread.</summary>
    public void Catalogue(long index, Span<float> destination) => Fill(CatalogueStream, index, destination);

    /// <summary>Held-out query <paramref name="index"/>, from the same distribution as the catalogue.</summary>
    public void Query(long index, Span<float> destination) => Fill(QueryStream, index, destination);

    /// <summary>The cluster catalogue vector <paramref name="index"/> was drawn around (its "movement").</summary>
    public int ClusterOf(long index)
    {
        var random = new SplitMix64(Mix(_seed, CatalogueStream, (ulong)index));
        return Cluster(ref random);
    }

    // By reference: the generator is a mutable struct, and Fill goes on drawing from where this left it.
    private int Cluster(ref SplitMix64 random)
    {
        var u = random.NextDouble();
        return Math.Min(Clusters - 1, (int)(u * u * Clusters));
    }

    /// <summary>The descriptor's normalisation: per block sign·√|x| and L2, then L2 over the whole vector.</summary>
    public static void NormaliseLikeStyleDescriptor(Span<float> values)
    {
        if (values.Length != Dimensions)
        {
            throw new ArgumentException($"expected {Dimensions} values, got {values.Length}", nameof(values));
        }

        var offset = 0;
        foreach (var length in BlockLengths)
        {
            var block = values.Slice(offset, length);
            for (var i = 0; i < block.Length; i++)
            {
                var v = block[i];
                block[i] = v >= 0 ? MathF.Sqrt(v) : -MathF.Sqrt(-v);
            }

            L2Normalise(block);
            offset += length;
        }

        L2Normalise(values);
    }

    private void Fill(ulong stream, long index, Span<float> destination)
    {
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"expected {Dimensions} values, got {destination.Length}", nameof(destination));
        }

        var random = new SplitMix64(Mix(_seed, stream, (ulong)index));

        // Squaring a uniform skews cluster sizes: a few large schools, a long tail of small ones.
        var u = random.NextDouble();
        var cluster = Math.Min(Clusters - 1, (int)(u * u * Clusters));
        Span<float> latent = stackalloc float[Rank];
        for (var r = 0; r < Rank; r++)
        {
            latent[r] = _centres[cluster][r] + (Spread * (float)random.NextGaussian());
        }

        for (var d = 0; d < Dimensions; d++)
        {
            destination[d] = _offset[d] + (Noise * (float)random.NextGaussian());
        }

        for (var r = 0; r < Rank; r++)
        {
            TensorPrimitives.MultiplyAdd(_basis[r], latent[r], destination, destination);
        }

        // softplus(x) = ln(1 + e^x): smooth and positive, like a pooled ReLU statistic.
        TensorPrimitives.Exp(destination, destination);
        TensorPrimitives.Add(destination, 1f, destination);
        TensorPrimitives.Log(destination, destination);
        NormaliseLikeStyleDescriptor(destination);
    }

    private static void L2Normalise(Span<float> values)
    {
        var norm = TensorPrimitives.Norm(values);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Divide(values, norm, values);
        }
    }

    private static ulong Mix(ulong seed, ulong stream, ulong index)
    {
        var state = new SplitMix64((seed * 0x9E3779B97F4A7C15UL) ^ (stream << 32) ^ stream);
        return state.NextUInt64() ^ (index * 0xD1B54A32D192ED03UL);
    }

    /// <summary>
    /// SplitMix64: tiny, fast, and seeded per vector, so vector i is the same whichever thread or
    /// chunk produces it (System.Random's sequence would tie it to the generation order).
    /// </summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public ulong NextUInt64()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, 1), 53 bits.</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Standard normal by Box–Muller (one of the pair; simplicity over speed).</summary>
        public double NextGaussian()
        {
            var u1 = 1.0 - NextDouble();
            var u2 = NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
