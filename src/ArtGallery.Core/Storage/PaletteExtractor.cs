using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Core.Storage;

/// <summary>Dominant colours of an image: a 4-bit-per-channel histogram of a 64 px copy, merged by proximity.</summary>
public static class PaletteExtractor
{
    public static IReadOnlyList<string> Extract(Image<Rgb24> image, int count = 6)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var small = image.Clone(x => x.Resize(new ResizeOptions { Size = new Size(64, 64), Mode = ResizeMode.Max, Sampler = KnownResamplers.Box }));
        var bins = new Dictionary<int, (long R, long G, long B, int N)>();
        small.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    var key = ((p.R >> 4) << 8) | ((p.G >> 4) << 4) | (p.B >> 4);
                    var (r, g, b, n) = bins.GetValueOrDefault(key);
                    bins[key] = (r + p.R, g + p.G, b + p.B, n + 1);
                }
            }
        });

        var chosen = new List<(int R, int G, int B)>();
        foreach (var bin in bins.Values.OrderByDescending(b => b.N))
        {
            var colour = ((int)(bin.R / bin.N), (int)(bin.G / bin.N), (int)(bin.B / bin.N));
            if (chosen.All(c => Distance(c, colour) > 48))
            {
                chosen.Add(colour);
            }

            if (chosen.Count == count)
            {
                break;
            }
        }

        return [.. chosen.Select(c => $"#{c.R:x2}{c.G:x2}{c.B:x2}")];
    }

    private static double Distance((int R, int G, int B) a, (int R, int G, int B) b) =>
        Math.Sqrt(Math.Pow(a.R - b.R, 2) + Math.Pow(a.G - b.G, 2) + Math.Pow(a.B - b.B, 2));
}
