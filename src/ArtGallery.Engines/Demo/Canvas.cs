namespace ArtGallery.Engines.Demo;

/// <summary>A small float RGB raster with the primitives the demo painter needs.</summary>
internal sealed class Canvas
{
    private readonly float[] _r;
    private readonly float[] _g;
    private readonly float[] _b;

    public Canvas(int width, int height)
    {
        Width = width;
        Height = height;
        _r = new float[width * height];
        _g = new float[width * height];
        _b = new float[width * height];
    }

    public int Width { get; }

    public int Height { get; }

    public Rgb Get(int x, int y)
    {
        var i = (y * Width) + x;
        return new Rgb(_r[i], _g[i], _b[i]);
    }

    public void Blend(int x, int y, Rgb c, float alpha)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        var i = (y * Width) + x;
        _r[i] += (c.R - _r[i]) * alpha;
        _g[i] += (c.G - _g[i]) * alpha;
        _b[i] += (c.B - _b[i]) * alpha;
    }

    public void Fill(Func<int, int, Rgb> colourAt)
    {
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var c = colourAt(x, y);
                var i = (y * Width) + x;
                _r[i] = c.R;
                _g[i] = c.G;
                _b[i] = c.B;
            }
        }
    }

    public void FillRect(float x0, float y0, float x1, float y1, Rgb c, float alpha = 1f)
    {
        for (var y = Math.Max(0, (int)y0); y < Math.Min(Height, (int)MathF.Ceiling(y1)); y++)
        {
            for (var x = Math.Max(0, (int)x0); x < Math.Min(Width, (int)MathF.Ceiling(x1)); x++)
            {
                Blend(x, y, c, alpha);
            }
        }
    }

    /// <summary>A disc; <paramref name="soft"/> fades the edge over that fraction of the radius.</summary>
    public void Disc(float cx, float cy, float radius, Rgb c, float alpha = 1f, float soft = 0.25f)
    {
        var r2 = radius * radius;
        for (var y = Math.Max(0, (int)(cy - radius)); y <= Math.Min(Height - 1, (int)(cy + radius)); y++)
        {
            for (var x = Math.Max(0, (int)(cx - radius)); x <= Math.Min(Width - 1, (int)(cx + radius)); x++)
            {
                var d2 = ((x - cx) * (x - cx)) + ((y - cy) * (y - cy));
                if (d2 > r2)
                {
                    continue;
                }

                var edge = soft <= 0 ? 1f : Math.Clamp((1f - MathF.Sqrt(d2) / radius) / soft, 0f, 1f);
                Blend(x, y, c, alpha * edge);
            }
        }
    }

    /// <summary>A stroke stamped with discs along a segment.</summary>
    public void Line(float x0, float y0, float x1, float y1, float width, Rgb c, float alpha = 1f)
    {
        var length = MathF.Sqrt(((x1 - x0) * (x1 - x0)) + ((y1 - y0) * (y1 - y0)));
        var steps = Math.Max(1, (int)(length / Math.Max(0.7f, width * 0.35f)));
        for (var s = 0; s <= steps; s++)
        {
            var t = (float)s / steps;
            Disc(x0 + ((x1 - x0) * t), y0 + ((y1 - y0) * t), width / 2, c, alpha, 0.35f);
        }
    }

    /// <summary>Scanline fill of a polygon (even-odd rule).</summary>
    public void Polygon(IReadOnlyList<(float X, float Y)> points, Rgb c, float alpha = 1f)
    {
        var minY = Math.Max(0, (int)points.Min(p => p.Y));
        var maxY = Math.Min(Height - 1, (int)MathF.Ceiling(points.Max(p => p.Y)));
        var crossings = new List<float>(8);
        for (var y = minY; y <= maxY; y++)
        {
            var sy = y + 0.5f;
            crossings.Clear();
            for (var i = 0; i < points.Count; i++)
            {
                var a = points[i];
                var b = points[(i + 1) % points.Count];
                if ((a.Y <= sy && b.Y > sy) || (b.Y <= sy && a.Y > sy))
                {
                    crossings.Add(a.X + ((sy - a.Y) / (b.Y - a.Y) * (b.X - a.X)));
                }
            }

            crossings.Sort();
            for (var k = 0; k + 1 < crossings.Count; k += 2)
            {
                for (var x = Math.Max(0, (int)MathF.Round(crossings[k])); x < Math.Min(Width, (int)MathF.Round(crossings[k + 1])); x++)
                {
                    Blend(x, y, c, alpha);
                }
            }
        }
    }

    /// <summary>Separable box blur, repeated for a near-Gaussian result.</summary>
    public void Blur(int radius, int passes = 2)
    {
        if (radius <= 0)
        {
            return;
        }

        var tmp = new float[Math.Max(Width, Height)];
        foreach (var channel in new[] { _r, _g, _b })
        {
            for (var p = 0; p < passes; p++)
            {
                BoxPass(channel, Width, Height, 1, Width, radius, tmp);
                BoxPass(channel, Height, Width, Width, 1, radius, tmp);
            }
        }
    }

    public void Grain(Random random, float amount)
    {
        for (var i = 0; i < _r.Length; i++)
        {
            var n = (float)(random.NextDouble() - 0.5) * amount;
            _r[i] += n;
            _g[i] += n;
            _b[i] += n;
        }
    }

    public Image<Rgb24> ToImage()
    {
        var image = new Image<Rgb24>(Width, Height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < Width; x++)
                {
                    var i = (y * Width) + x;
                    row[x] = new Rgb24(ToByte(_r[i]), ToByte(_g[i]), ToByte(_b[i]));
                }
            }
        });
        return image;
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);

    // Blurs `lines` lines of `length` samples; `step` walks along a line, `stride` between lines.
    private static void BoxPass(float[] data, int length, int lines, int step, int stride, int radius, float[] tmp)
    {
        var window = (2 * radius) + 1;
        for (var line = 0; line < lines; line++)
        {
            var start = line * stride;
            float sum = 0;
            for (var k = -radius; k <= radius; k++)
            {
                sum += data[start + (Math.Clamp(k, 0, length - 1) * step)];
            }

            for (var i = 0; i < length; i++)
            {
                tmp[i] = sum / window;
                var outIndex = Math.Clamp(i - radius, 0, length - 1);
                var inIndex = Math.Clamp(i + radius + 1, 0, length - 1);
                sum += data[start + (inIndex * step)] - data[start + (outIndex * step)];
            }

            for (var i = 0; i < length; i++)
            {
                data[start + (i * step)] = tmp[i];
            }
        }
    }
}

/// <summary>A colour with channels in 0–1.</summary>
internal readonly record struct Rgb(float R, float G, float B)
{
    public static Rgb FromHsv(float hue, float saturation, float value)
    {
        hue = ((hue % 360f) + 360f) % 360f;
        saturation = Math.Clamp(saturation, 0f, 1f);
        value = Math.Clamp(value, 0f, 1f);
        var c = value * saturation;
        var x = c * (1 - MathF.Abs((hue / 60f % 2) - 1));
        var m = value - c;
        var (r, g, b) = (int)(hue / 60f) switch
        {
            0 => (c, x, 0f),
            1 => (x, c, 0f),
            2 => (0f, c, x),
            3 => (0f, x, c),
            4 => (x, 0f, c),
            _ => (c, 0f, x),
        };
        return new Rgb(r + m, g + m, b + m);
    }

    public Rgb Scale(float f) => new(R * f, G * f, B * f);

    public Rgb Mix(Rgb other, float t) => new(R + ((other.R - R) * t), G + ((other.G - G) * t), B + ((other.B - B) * t));

    public float Luma => (0.299f * R) + (0.587f * G) + (0.114f * B);
}
