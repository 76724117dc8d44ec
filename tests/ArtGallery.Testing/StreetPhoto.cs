using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Testing;

/// <summary>
/// A plain street photograph, drawn pixel by pixel (no painting in it): a pale sky, a row of house
/// fronts with windows, a pavement and an asphalt road with lane marks, with a camera's sensor noise and
/// JPEG compression. Deterministic. The demo collection is generated paintings; this is not one.
/// </summary>
public static class StreetPhoto
{
    public static byte[] Take(int width = 640, int height = 480, int seed = 7)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(width, height);
        var horizon = (int)(height * 0.30);
        var pavement = (int)(height * 0.68);
        var road = (int)(height * 0.76);

        // House fronts of varied width and colour (brick, plaster, stone), each with a grid of windows.
        var fronts = new List<(int X0, int X1, int Top, Rgb24 Colour)>();
        var colours = new[] { new Rgb24(150, 82, 60), new Rgb24(205, 196, 178), new Rgb24(168, 160, 150), new Rgb24(120, 112, 104), new Rgb24(190, 150, 110) };
        for (var x = 0; x < width;)
        {
            var w = random.Next(70, 150);
            fronts.Add((x, Math.Min(width, x + w), horizon - random.Next(0, 60), colours[random.Next(colours.Length)]));
            x += w;
        }

        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < width; x++)
                {
                    Rgb24 c;
                    if (y >= road)
                    {
                        // Asphalt, darker towards the camera, with a dashed centre line and a kerb line.
                        var shade = 95 - (30 * (y - road) / Math.Max(1, height - road));
                        c = new Rgb24((byte)shade, (byte)shade, (byte)(shade + 4));
                        var centre = width / 2;
                        var lane = Math.Abs(x - centre) < 3 + ((y - road) / 12) && ((y / 18) % 2 == 0);
                        if (lane || y - road < 3)
                        {
                            c = new Rgb24(225, 225, 215);
                        }
                    }
                    else if (y >= pavement)
                    {
                        var slab = ((x / 40) + (y / 12)) % 2 == 0 ? 160 : 150;
                        c = new Rgb24((byte)slab, (byte)slab, (byte)(slab - 6));
                    }
                    else
                    {
                        var front = fronts.First(f => x >= f.X0 && x < f.X1);
                        if (y < front.Top)
                        {
                            // Overcast sky, lighter at the horizon.
                            var t = y / (double)Math.Max(1, horizon);
                            c = new Rgb24((byte)(170 + (50 * t)), (byte)(190 + (40 * t)), (byte)(215 + (25 * t)));
                        }
                        else
                        {
                            var localX = x - front.X0;
                            var localY = y - front.Top;
                            var window = localX % 30 is > 8 and < 24 && localY % 48 is > 12 and < 38 && x < front.X1 - 8;
                            var door = localX is > 20 and < 40 && y > pavement - 45;
                            c = window ? new Rgb24(60, 70, 82) : door ? new Rgb24(70, 50, 40) : front.Colour;
                            if (localX < 2)
                            {
                                c = new Rgb24(90, 85, 80); // the seam between two houses
                            }
                        }
                    }

                    // Sensor noise.
                    var n = random.Next(-6, 7);
                    row[x] = new Rgb24(Clamp(c.R + n), Clamp(c.G + n), Clamp(c.B + n));
                }
            }
        });

        using var output = new MemoryStream();
        image.SaveAsJpeg(output, new JpegEncoder { Quality = 85 });
        return output.ToArray();
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
