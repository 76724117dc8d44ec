namespace ArtGallery.Engines.Studio.Gan;

/// <summary>
/// The studio's latent arithmetic, pure so it is tested without a model: seed → latent with a fixed,
/// documented generator (so a seed means the same picture in every .NET version and in the Python
/// recipe, which mirrors it), interpolation, and breeding (crossover plus mutation).
/// </summary>
public static class GanLatents
{
    /// <summary>Largest seed the studio accepts: small enough to type and to keep in a URL.</summary>
    public const long MaxSeed = int.MaxValue;

    /// <summary>
    /// A standard-normal latent from <paramref name="seed"/>: SplitMix64 (Steele, Lea and Flood 2014)
    /// seeded with the value itself, two outputs per Box–Muller pair, u1 = 1 − (a ≫ 11)·2⁻⁵³ ∈ (0, 1],
    /// u2 = (b ≫ 11)·2⁻⁵³; cos then sin. models/training/gan/train.py implements the same rule.
    /// </summary>
    public static float[] FromSeed(long seed, int dimensions)
    {
        if (seed is < 0 or > MaxSeed)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, $"A seed is a whole number from 0 to {MaxSeed}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        var random = new SplitMix64((ulong)seed);
        var latent = new float[dimensions];
        for (var i = 0; i < dimensions; i += 2)
        {
            var (z0, z1) = random.NextGaussianPair();
            latent[i] = (float)z0;
            if (i + 1 < dimensions)
            {
                latent[i + 1] = (float)z1;
            }
        }

        return latent;
    }

    /// <summary>Straight-line blend: t = 0 gives <paramref name="a"/>, t = 1 gives <paramref name="b"/>.</summary>
    public static float[] Lerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float t)
    {
        CheckPair(a, b);
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = a[i] + (t * (b[i] - a[i]));
        }

        return result;
    }

    /// <summary>
    /// Spherical interpolation (Shoemake 1985; White 2016 for GAN latents): Gaussian latents live near a
    /// sphere, and the straight line between two of them passes through improbably short vectors
    /// (washed-out images). Falls back to <see cref="Lerp"/> when the two are (anti)parallel.
    /// </summary>
    public static float[] Slerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float t)
    {
        CheckPair(a, b);
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        if (na == 0 || nb == 0)
        {
            return Lerp(a, b, t);
        }

        var cos = Math.Clamp(dot / Math.Sqrt(na * nb), -1, 1);
        var omega = Math.Acos(cos);
        var sin = Math.Sin(omega);
        if (sin < 1e-6)
        {
            return Lerp(a, b, t);
        }

        var wa = Math.Sin((1 - t) * omega) / sin;
        var wb = Math.Sin(t * omega) / sin;
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = (float)((wa * a[i]) + (wb * b[i]));
        }

        return result;
    }

    /// <summary>
    /// <paramref name="frames"/> latents from <paramref name="a"/> to <paramref name="b"/> inclusive,
    /// evenly spaced in t along the slerp path.
    /// </summary>
    public static IReadOnlyList<float[]> Path(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int frames)
    {
        if (frames < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(frames), frames, "A morph needs at least two frames.");
        }

        var path = new float[frames][];
        for (var k = 0; k < frames; k++)
        {
            path[k] = Slerp(a, b, k / (float)(frames - 1));
        }

        return path;
    }

    /// <summary>
    /// A child of two latents: each dimension from one parent or the other (uniform crossover, a
    /// fair coin per dimension), then mutated: child·√(1 − m²) + m·noise, which keeps a standard-normal
    /// latent standard normal for any <paramref name="mutation"/> m in [0, 1] (0 = pure crossover,
    /// 1 = a fresh random latent). <paramref name="breedSeed"/> makes the child reproducible.
    /// </summary>
    public static float[] Breed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float mutation, long breedSeed)
    {
        CheckPair(a, b);
        if (!(mutation >= 0 && mutation <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "Mutation is a number from 0 to 1.");
        }

        var coins = new SplitMix64(unchecked((ulong)breedSeed ^ 0xD1B54A32D192ED03UL));
        var noise = FromSeed(breedSeed & MaxSeed, a.Length);
        var keep = Math.Sqrt(1 - (mutation * (double)mutation));
        var child = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            var gene = (coins.Next() >> 63) == 0 ? a[i] : b[i];
            child[i] = (float)((keep * gene) + (mutation * noise[i]));
        }

        return child;
    }

    private static void CheckPair(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length == 0 || a.Length != b.Length)
        {
            throw new ArgumentException($"Two latents of the same non-zero length are needed (got {a.Length} and {b.Length}).");
        }
    }

    /// <summary>SplitMix64: tiny, fast, and fully specified, so every platform agrees on its output.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
            var z = _state;
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            return z ^ (z >> 31);
        }

        public (double Z0, double Z1) NextGaussianPair()
        {
            const double scale = 1.0 / (1UL << 53);
            var u1 = 1.0 - ((Next() >> 11) * scale);
            var u2 = (Next() >> 11) * scale;
            var r = Math.Sqrt(-2.0 * Math.Log(u1));
            return (r * Math.Cos(2.0 * Math.PI * u2), r * Math.Sin(2.0 * Math.PI * u2));
        }
    }
}
