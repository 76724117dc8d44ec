using System.Globalization;
using ArtGallery.Engines.Studio.Gan;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Core.Studio.Gan;

/// <summary>
/// The GAN studio's operations over <see cref="GanGenerator"/>: a grid from seeds (the same seed
/// always paints the same picture), morphs, breeding with a lineage, and display upscaling. Every
/// parameter is checked here and refused with a <see cref="StudioRequestException"/> the page can show.
/// </summary>
public sealed class GanStudioService(GanGenerator generator)
{
    public const int MaxGrid = 64;
    public const int MinFrames = 2;
    public const int MaxFrames = 32;
    public const int MinUpscale = 64;
    public const int MaxUpscale = 1024;

    public bool IsAvailable => generator.IsAvailable;

    public string? UnavailableReason => generator.UnavailableReason;

    public string Provider => generator.Provider;

    public int ImageSize => generator.ImageSize;

    /// <summary>
    /// Seeds from text such as "1, 7, 42" or "1-16" (ranges inclusive), each 0 to <see cref="GanLatents.MaxSeed"/>,
    /// at most <see cref="MaxGrid"/> in all; duplicates are kept once, in first-seen order.
    /// </summary>
    public static IReadOnlyList<long> ParseSeeds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new StudioRequestException("Enter at least one seed, e.g. 1-16 or 3, 7, 42.");
        }

        var seeds = new List<long>();
        var seen = new HashSet<long>();
        foreach (var raw in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = raw.IndexOf('-', 1);
            long from, to;
            if (dash > 0)
            {
                from = ParseSeed(raw[..dash]);
                to = ParseSeed(raw[(dash + 1)..]);
                if (to < from)
                {
                    throw new StudioRequestException($"The range '{raw}' runs backwards.");
                }

                if (to - from + 1 > MaxGrid)
                {
                    throw new StudioRequestException($"The range '{raw}' holds {to - from + 1} seeds; a grid holds at most {MaxGrid}.");
                }
            }
            else
            {
                from = to = ParseSeed(raw);
            }

            for (var s = from; s <= to; s++)
            {
                if (seen.Add(s))
                {
                    seeds.Add(s);
                }

                if (seeds.Count > MaxGrid)
                {
                    throw new StudioRequestException($"A grid holds at most {MaxGrid} pictures.");
                }
            }
        }

        return seeds;
    }

    public static long ParseSeed(string text)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed) || seed > GanLatents.MaxSeed)
        {
            throw new StudioRequestException($"'{text}' is not a seed: a seed is a whole number from 0 to {GanLatents.MaxSeed}.");
        }

        return seed;
    }

    /// <summary>One picture per seed, in order.</summary>
    public IReadOnlyList<GanPicture> Grid(IReadOnlyList<long> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        EnsureAvailable();
        if (seeds.Count is 0 or > MaxGrid)
        {
            throw new StudioRequestException($"A grid holds between 1 and {MaxGrid} pictures (asked for {seeds.Count}).");
        }

        var latents = new float[seeds.Count][];
        for (var i = 0; i < seeds.Count; i++)
        {
            if (seeds[i] is < 0 or > GanLatents.MaxSeed)
            {
                throw new StudioRequestException($"{seeds[i]} is not a seed: a seed is a whole number from 0 to {GanLatents.MaxSeed}.");
            }

            latents[i] = GanLatents.FromSeed(seeds[i], generator.LatentSize);
        }

        var pngs = Paint(latents);
        return [.. seeds.Select((s, i) => new GanPicture(
            FormattableString.Invariant($"s{s}"), FormattableString.Invariant($"Seed {s}"), latents[i], pngs[i], [], 0))];
    }

    /// <summary>The morph from <paramref name="from"/> to <paramref name="to"/> (both included) along the slerp path.</summary>
    public IReadOnlyList<byte[]> Morph(GanPicture from, GanPicture to, int frames)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        EnsureAvailable();
        if (frames is < MinFrames or > MaxFrames)
        {
            throw new StudioRequestException($"A morph has between {MinFrames} and {MaxFrames} frames (asked for {frames}).");
        }

        return Paint(GanLatents.Path(from.Latent, to.Latent, frames));
    }

    /// <summary>
    /// A child of two pictures: uniform crossover of their latents, then <paramref name="mutation"/>
    /// (0 to 1) of fresh noise; <paramref name="breedSeed"/> makes it reproducible.
    /// </summary>
    public GanPicture Breed(GanPicture a, GanPicture b, float mutation, long breedSeed)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        EnsureAvailable();
        if (!(mutation >= 0 && mutation <= 1))
        {
            throw new StudioRequestException($"Mutation is a number from 0 to 1 (got {mutation.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (breedSeed is < 0 or > GanLatents.MaxSeed)
        {
            throw new StudioRequestException($"{breedSeed} is not a breed seed: a whole number from 0 to {GanLatents.MaxSeed}.");
        }

        var child = GanLatents.Breed(a.Latent, b.Latent, mutation, breedSeed);
        var png = Paint([child])[0];
        var id = FormattableString.Invariant($"b{breedSeed}({a.Id}x{b.Id})");
        var label = FormattableString.Invariant($"{a.Label} × {b.Label}, mutation {mutation:0.00}");
        return new GanPicture(id, label, child, png, [a.Id, b.Id], Math.Max(a.Generation, b.Generation) + 1);
    }

    /// <summary><see cref="Grid"/> on the thread pool: a page's circuit never runs the generator itself.</summary>
    public Task<IReadOnlyList<GanPicture>> GridAsync(IReadOnlyList<long> seeds, CancellationToken cancellationToken = default) =>
        Task.Run(() => Grid(seeds), cancellationToken);

    /// <summary><see cref="Morph"/> on the thread pool.</summary>
    public Task<IReadOnlyList<byte[]>> MorphAsync(GanPicture from, GanPicture to, int frames, CancellationToken cancellationToken = default) =>
        Task.Run(() => Morph(from, to, frames), cancellationToken);

    /// <summary><see cref="Breed"/> on the thread pool.</summary>
    public Task<GanPicture> BreedAsync(GanPicture a, GanPicture b, float mutation, long breedSeed, CancellationToken cancellationToken = default) =>
        Task.Run(() => Breed(a, b, mutation, breedSeed), cancellationToken);

    /// <summary><see cref="Upscale"/> on the thread pool.</summary>
    public static Task<byte[]> UpscaleAsync(GanPicture picture, int side, CancellationToken cancellationToken = default) =>
        Task.Run(() => Upscale(picture, side), cancellationToken);

    /// <summary>The picture resampled to <paramref name="side"/> pixels square for display or download, as PNG.</summary>
    public static byte[] Upscale(GanPicture picture, int side)
    {
        ArgumentNullException.ThrowIfNull(picture);
        if (side is < MinUpscale or > MaxUpscale)
        {
            throw new StudioRequestException($"Upscale to between {MinUpscale} and {MaxUpscale} pixels (asked for {side}).");
        }

        using var image = Image.Load<Rgb24>(picture.Png);
        using var large = GanImages.Upscale(image, side);
        return ToPng(large);
    }

    private byte[][] Paint(IReadOnlyList<float[]> latents)
    {
        var images = generator.Generate(latents);
        try
        {
            return [.. images.Select(ToPng)];
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    private static byte[] ToPng(Image<Rgb24> image)
    {
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }

    private void EnsureAvailable()
    {
        if (!generator.IsAvailable)
        {
            throw new StudioRequestException($"The GAN painter is unavailable: {generator.UnavailableReason}");
        }
    }
}
