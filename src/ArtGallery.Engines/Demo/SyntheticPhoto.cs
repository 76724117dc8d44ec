namespace ArtGallery.Engines.Demo;

/// <summary>
/// A "photo" made here, not taken from any data set: a smooth sky, a sun and a hill, like a
/// landscape snapshot with little texture of its own. Deterministic.
/// </summary>
public static class SyntheticPhoto
{
    public static Image<Rgb24> Landscape(int width = 480, int height = 360)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < width; x++)
                {
                    var t = (float)y / height;
                    var hill = height * (0.65f - (0.12f * MathF.Sin(x * 6.283f / width)));
                    var sun = MathF.Pow(x - (0.72f * width), 2) + MathF.Pow(y - (0.25f * height), 2) < MathF.Pow(0.08f * width, 2);
                    row[x] = y > hill
                        ? new Rgb24((byte)(60 + (40 * t)), (byte)(120 + (30 * t)), 50)
                        : sun ? new Rgb24(250, 220, 120) : new Rgb24((byte)(120 + (80 * t)), (byte)(170 + (50 * t)), 235);
                }
            }
        });
        return image;
    }

    public static byte[] LandscapePng()
    {
        using var image = Landscape();
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
