using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Cli.Verbs;

/// <summary>
/// Deterministic non-paintings for the recogniser's novelty check: flat colours, noise, stripes,
/// checks and gradients, the kind of "junk pattern" a visitor may upload.
/// </summary>
internal static class SyntheticPatterns
{
    public static List<Image<Rgb24>> Create(int width = 640, int height = 480)
    {
        var random = new Random(22);
        var images = new List<Image<Rgb24>>();
        Rgb24 RandomColour() => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        for (var n = 0; n < 6; n++)
        {
            var colour = RandomColour();
            images.Add(Fill(width, height, (_, _) => colour));
        }

        for (var n = 0; n < 4; n++)
        {
            var grey = n % 2 == 0;
            images.Add(Fill(width, height, (_, _) =>
            {
                var v = (byte)random.Next(256);
                return grey ? new Rgb24(v, v, v) : RandomColour();
            }));
        }

        foreach (var period in new[] { 8, 24, 60, 120 })
        {
            var (a, b) = (RandomColour(), RandomColour());
            var vertical = period % 16 == 8;
            images.Add(Fill(width, height, (x, y) => ((vertical ? x : y) / period) % 2 == 0 ? a : b));
        }

        foreach (var cell in new[] { 10, 32, 80, 160 })
        {
            var (a, b) = (RandomColour(), RandomColour());
            images.Add(Fill(width, height, (x, y) => ((x / cell) + (y / cell)) % 2 == 0 ? a : b));
        }

        for (var n = 0; n < 4; n++)
        {
            var (a, b) = (RandomColour(), RandomColour());
            var diagonal = n % 2 == 1;
            images.Add(Fill(width, height, (x, y) =>
            {
                var t = diagonal ? (x + y) / (float)(width + height) : x / (float)width;
                return new Rgb24((byte)(a.R + ((b.R - a.R) * t)), (byte)(a.G + ((b.G - a.G) * t)), (byte)(a.B + ((b.B - a.B) * t)));
            }));
        }

        return images;
    }

    private static Image<Rgb24> Fill(int width, int height, Func<int, int, Rgb24> pixel)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = pixel(x, y);
                }
            }
        });
        return image;
    }
}
