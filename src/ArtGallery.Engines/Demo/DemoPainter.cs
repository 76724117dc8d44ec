namespace ArtGallery.Engines.Demo;

/// <summary>
/// Paints a planned demo work: the subject's regions (<see cref="Scene"/>) rendered with the
/// movement's technique and palette. Deterministic: the same <see cref="DemoWork"/> gives the same pixels.
/// </summary>
public static class DemoPainter
{
    public static Image<Rgb24> Paint(DemoWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var random = new Random(work.Seed);
        var canvas = new Canvas(work.Width, work.Height);
        var scene = Scene.Create(work.Subject, random, (float)work.Width / work.Height);
        var palette = Palette(work.Movement, work.Artist.PaletteShift, random);
        var context = new PaintContext(canvas, scene, palette, random);
        switch (work.Movement)
        {
            case DemoMovement.Pointillism: Pointillism(context); break;
            case DemoMovement.HardEdge: HardEdge(context); break;
            case DemoMovement.Drip: Drip(context); break;
            case DemoMovement.OpArt: OpArt(context); break;
            case DemoMovement.ColourField: ColourField(context); break;
            case DemoMovement.Mosaic: Mosaic(context); break;
            case DemoMovement.InkWash: InkWash(context); break;
            case DemoMovement.CubistFacets: CubistFacets(context); break;
            case DemoMovement.NeoPlastic: NeoPlastic(context); break;
            case DemoMovement.Swirl: Swirl(context); break;
            default: throw new ArgumentOutOfRangeException(nameof(work), work.Movement, "Unknown movement.");
        }

        return canvas.ToImage();
    }

    private sealed record PaintContext(Canvas Canvas, Scene Scene, Rgb[] Palette, Random Random)
    {
        public int W => Canvas.Width;

        public int H => Canvas.Height;

        public float Next(float lo, float hi) => lo + ((float)Random.NextDouble() * (hi - lo));

        public int RegionAt(float x, float y) => Scene.RegionAt(x / W, y / H);

        public Rgb ColourAt(float x, float y) => Palette[RegionAt(x, y)];
    }

    /// <summary>Four region colours per movement: the palette is part of the style.</summary>
    private static Rgb[] Palette(DemoMovement movement, int shift, Random random)
    {
        float J(float spread) => ((float)random.NextDouble() - 0.5f) * spread;
        (float H, float S, float V)[] hsv = movement switch
        {
            DemoMovement.Pointillism => [(205, 0.35f, 0.92f), (95, 0.5f, 0.72f), (28, 0.55f, 0.85f), (50, 0.7f, 0.98f)],
            DemoMovement.HardEdge => [(random.Next(360), 0.85f, 0.92f), (random.Next(360), 0.9f, 0.8f), (random.Next(360), 0.9f, 0.95f), (random.Next(360), 0.8f, 0.3f)],
            DemoMovement.Drip => [(40, 0.12f, 0.85f), (30, 0.2f, 0.55f), (200, 0.15f, 0.4f), (10, 0.6f, 0.7f)],
            DemoMovement.OpArt => [(0, 0f, 0.97f), (0, 0f, 0.05f), (0, 0f, 0.05f), (0, 0f, 0.97f)],
            DemoMovement.ColourField => [(355, 0.8f, 0.55f), (20, 0.85f, 0.8f), (340, 0.7f, 0.3f), (35, 0.75f, 0.9f)],
            DemoMovement.Mosaic => [(215, 0.7f, 0.55f), (25, 0.65f, 0.6f), (45, 0.75f, 0.85f), (130, 0.5f, 0.45f)],
            DemoMovement.InkWash => [(40, 0.08f, 0.95f), (40, 0.05f, 0.6f), (40, 0.04f, 0.2f), (40, 0.05f, 0.4f)],
            DemoMovement.CubistFacets => [(35, 0.35f, 0.6f), (80, 0.2f, 0.45f), (25, 0.45f, 0.4f), (200, 0.15f, 0.55f)],
            DemoMovement.NeoPlastic => [(0, 0f, 0.96f), (50, 0.9f, 0.95f), (0, 0.9f, 0.85f), (220, 0.9f, 0.65f)],
            DemoMovement.Swirl => [(225, 0.75f, 0.55f), (48, 0.8f, 0.85f), (140, 0.55f, 0.45f), (55, 0.9f, 0.98f)],
            _ => [(0, 0f, 0.5f), (0, 0f, 0.5f), (0, 0f, 0.5f), (0, 0f, 0.5f)],
        };
        var hueShift = movement is DemoMovement.OpArt or DemoMovement.InkWash or DemoMovement.NeoPlastic ? 0 : shift;
        return [.. hsv.Select(c => Rgb.FromHsv(c.H + hueShift + J(16), c.S + J(0.1f), c.V + J(0.08f)))];
    }

    private static void Pointillism(PaintContext c)
    {
        c.Canvas.Fill((_, _) => new Rgb(0.95f, 0.93f, 0.86f));
        var dots = c.W * c.H / 9;
        for (var i = 0; i < dots; i++)
        {
            var (x, y) = (c.Next(0, c.W), c.Next(0, c.H));
            var baseColour = c.ColourAt(x, y);
            // Divisionism: now and then a complementary or lighter dot beside the local colour.
            var roll = c.Random.NextDouble();
            var colour = roll < 0.12 ? new Rgb(1 - baseColour.R, 1 - baseColour.G, 1 - baseColour.B).Mix(baseColour, 0.5f)
                : roll < 0.3 ? baseColour.Mix(new Rgb(1, 1, 1), 0.35f) : baseColour.Scale(c.Next(0.85f, 1.1f));
            c.Canvas.Disc(x, y, c.Next(1.6f, 2.8f), colour, 0.95f, 0.3f);
        }
    }

    private static void HardEdge(PaintContext c)
    {
        c.Canvas.Fill((x, y) => c.ColourAt(x, y));
        for (var i = 0; i < 3; i++)
        {
            var colour = c.Palette[c.Random.Next(4)];
            if (c.Random.NextDouble() < 0.5)
            {
                var y0 = c.Next(0, c.H);
                c.Canvas.FillRect(0, y0, c.W, y0 + c.Next(8, 30), colour);
            }
            else
            {
                c.Canvas.Polygon([(c.Next(0, c.W), 0), (c.Next(0, c.W), c.H), (c.Random.NextDouble() < 0.5 ? 0 : c.W, c.Next(0, c.H))], colour, 0.9f);
            }
        }
    }

    private static void Drip(PaintContext c)
    {
        c.Canvas.Fill((x, y) => c.ColourAt(x, y).Mix(new Rgb(0.85f, 0.82f, 0.75f), 0.45f));
        Rgb[] paints = [new(0.05f, 0.05f, 0.05f), new(0.96f, 0.96f, 0.94f), c.Palette[3], c.Palette[2], new(0.75f, 0.6f, 0.2f)];
        for (var i = 0; i < 260; i++)
        {
            var paint = paints[c.Random.Next(paints.Length)];
            var (x, y) = (c.Next(0, c.W), c.Next(0, c.H));
            var angle = c.Next(0, MathF.Tau);
            var width = c.Next(0.8f, 3.2f);
            for (var s = 0; s < 40; s++)
            {
                angle += c.Next(-0.6f, 0.6f);
                var step = c.Next(4, 14);
                var (nx, ny) = (x + (MathF.Cos(angle) * step), y + (MathF.Sin(angle) * step));
                c.Canvas.Line(x, y, nx, ny, width, paint, 0.9f);
                (x, y) = (nx, ny);
            }

            if (c.Random.NextDouble() < 0.5)
            {
                c.Canvas.Disc(x, y, c.Next(2, 6), paint, 0.9f, 0.1f);
            }
        }
    }

    private static void OpArt(PaintContext c)
    {
        var frequency = c.Next(0.18f, 0.3f);
        var vertical = c.Random.NextDouble() < 0.5;
        c.Canvas.Fill((x, y) =>
        {
            var region = c.RegionAt(x, y);
            var along = vertical ? x : y;
            var across = vertical ? y : x;
            var warp = region switch { 0 => 0f, 1 => 6f * MathF.Sin(across * 0.03f), 2 => 0.5f * across, _ => 12f };
            var stripe = MathF.Sin(((along + warp) * frequency * (region == 2 ? 1.6f : 1f)) + (region * 1.3f)) > 0;
            return stripe ? c.Palette[0] : c.Palette[1];
        });
    }

    private static void ColourField(PaintContext c)
    {
        c.Canvas.Fill((x, y) => c.ColourAt(x, y));
        c.Canvas.Blur(Math.Max(c.W, c.H) / 18, 3);
        var bands = c.Random.Next(2, 4);
        for (var i = 0; i < bands; i++)
        {
            var y0 = (c.H * (i + 0.15f) / bands) + c.Next(-8, 8);
            var y1 = (c.H * (i + 0.85f) / bands) + c.Next(-8, 8);
            c.Canvas.FillRect(c.W * 0.08f, y0, c.W * 0.92f, y1, c.Palette[c.Random.Next(4)], 0.55f);
        }

        c.Canvas.Blur(6, 2);
        c.Canvas.Grain(c.Random, 0.03f);
    }

    private static void Mosaic(PaintContext c)
    {
        var cell = c.Next(14, 22);
        var seeds = new List<(float X, float Y, Rgb Colour)>();
        for (var gy = 0f; gy < c.H + cell; gy += cell)
        {
            for (var gx = 0f; gx < c.W + cell; gx += cell)
            {
                var (x, y) = (gx + c.Next(0, cell), gy + c.Next(0, cell));
                seeds.Add((x, y, c.ColourAt(Math.Min(x, c.W - 1), Math.Min(y, c.H - 1)).Scale(c.Next(0.8f, 1.15f))));
            }
        }

        var columns = (int)MathF.Ceiling((c.W + cell) / cell);
        var grout = new Rgb(0.18f, 0.16f, 0.14f);
        c.Canvas.Fill((x, y) =>
        {
            var (gx, gy) = ((int)(x / cell), (int)(y / cell));
            float best = float.MaxValue, second = float.MaxValue;
            var colour = grout;
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    var (cx, cy) = (gx + dx, gy + dy);
                    if (cx < 0 || cy < 0 || cx >= columns)
                    {
                        continue;
                    }

                    var index = (cy * columns) + cx;
                    if (index >= seeds.Count)
                    {
                        continue;
                    }

                    var s = seeds[index];
                    var d = ((s.X - x) * (s.X - x)) + ((s.Y - y) * (s.Y - y));
                    if (d < best)
                    {
                        (second, best, colour) = (best, d, s.Colour);
                    }
                    else if (d < second)
                    {
                        second = d;
                    }
                }
            }

            return MathF.Sqrt(second) - MathF.Sqrt(best) < 1.6f ? grout : colour;
        });
    }

    private static void InkWash(PaintContext c)
    {
        c.Canvas.Fill((x, y) => c.ColourAt(x, y));
        c.Canvas.Blur(Math.Max(c.W, c.H) / 40, 3);
        var ink = new Rgb(0.08f, 0.08f, 0.09f);
        for (var i = 0; i < 140; i++)
        {
            // Brush strokes where the region changes: ink follows contours, paper stays empty.
            var (x, y) = (c.Next(0, c.W), c.Next(0, c.H));
            var region = c.RegionAt(x, y);
            if (region == c.RegionAt(x + 6, y) && region == c.RegionAt(x, y + 6))
            {
                continue;
            }

            var angle = c.Next(0, MathF.Tau);
            var length = c.Next(15, 60);
            c.Canvas.Line(x, y, x + (MathF.Cos(angle) * length), y + (MathF.Sin(angle) * length), c.Next(1.5f, 5f), ink, c.Next(0.4f, 0.85f));
        }

        c.Canvas.Blur(1, 1);
        c.Canvas.Grain(c.Random, 0.025f);
    }

    private static void CubistFacets(PaintContext c)
    {
        c.Canvas.Fill((x, y) => c.ColourAt(x, y).Scale(0.8f));
        var outline = new Rgb(0.12f, 0.1f, 0.08f);
        for (var i = 0; i < 150; i++)
        {
            var (x, y) = (c.Next(0, c.W), c.Next(0, c.H));
            var size = c.Next(25, 80);
            var points = Enumerable.Range(0, c.Random.Next(3, 5))
                .Select(k => (X: x + (MathF.Cos((k * MathF.Tau / 4) + c.Next(-0.5f, 0.5f)) * size), Y: y + (MathF.Sin((k * MathF.Tau / 4) + c.Next(-0.5f, 0.5f)) * size)))
                .ToArray();
            c.Canvas.Polygon(points, c.ColourAt(x, y).Scale(c.Next(0.6f, 1.25f)), 0.85f);
            for (var k = 0; k < points.Length; k++)
            {
                var (a, b) = (points[k], points[(k + 1) % points.Length]);
                if (c.Random.NextDouble() < 0.5)
                {
                    c.Canvas.Line(a.X, a.Y, b.X, b.Y, 1.6f, outline, 0.8f);
                }
            }
        }

        c.Canvas.Grain(c.Random, 0.04f);
    }

    private static void NeoPlastic(PaintContext c)
    {
        var xs = Cuts(c, c.W);
        var ys = Cuts(c, c.H);
        var black = new Rgb(0.06f, 0.06f, 0.06f);
        for (var i = 0; i + 1 < xs.Count; i++)
        {
            for (var j = 0; j + 1 < ys.Count; j++)
            {
                var (cx, cy) = ((xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2);
                var region = c.RegionAt(cx, cy);
                var colour = region == 0 || c.Random.NextDouble() < 0.25 ? c.Palette[0] : c.Palette[region];
                c.Canvas.FillRect(xs[i], ys[j], xs[i + 1], ys[j + 1], colour);
            }
        }

        var line = c.Next(5, 9);
        foreach (var x in xs)
        {
            c.Canvas.FillRect(x - (line / 2), 0, x + (line / 2), c.H, black);
        }

        foreach (var y in ys)
        {
            c.Canvas.FillRect(0, y - (line / 2), c.W, y + (line / 2), black);
        }
    }

    private static List<float> Cuts(PaintContext c, int length)
    {
        var cuts = new List<float> { 0 };
        while (cuts[^1] < length)
        {
            cuts.Add(cuts[^1] + c.Next(length * 0.08f, length * 0.24f));
        }

        cuts[^1] = length;
        return cuts;
    }

    private static void Swirl(PaintContext c)
    {
        c.Canvas.Fill((x, y) => c.ColourAt(x, y).Scale(0.7f));
        var (fx, fy) = (c.Next(0.006f, 0.014f), c.Next(0.006f, 0.014f));
        var phase = c.Next(0, 6.28f);
        var strokes = c.W * c.H / 55;
        for (var i = 0; i < strokes; i++)
        {
            var (x, y) = (c.Next(0, c.W), c.Next(0, c.H));
            var colour = c.ColourAt(x, y).Scale(c.Next(0.75f, 1.3f));
            var width = c.Next(2.5f, 4.5f);
            for (var s = 0; s < 5; s++)
            {
                // A curl field: strokes wheel around centres like wind and stars.
                var angle = (MathF.Sin((x * fx) + phase) + MathF.Cos(y * fy)) * MathF.PI;
                var (nx, ny) = (x + (MathF.Cos(angle) * 4), y + (MathF.Sin(angle) * 4));
                c.Canvas.Line(x, y, nx, ny, width, colour, 0.85f);
                (x, y) = (nx, ny);
            }
        }
    }
}
