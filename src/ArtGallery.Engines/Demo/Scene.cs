namespace ArtGallery.Engines.Demo;

/// <summary>
/// What a work shows, as a map from normalised coordinates (0–1) to one of four regions:
/// 0 background/sky, 1 ground/sea/table, 2 the main subject, 3 an accent (sun, windows, fruit, hair).
/// The movement decides how the regions are painted; the scene is the same for every movement.
/// </summary>
internal sealed class Scene
{
    private readonly Func<float, float, int> _region;

    private Scene(Func<float, float, int> region) => _region = region;

    public int RegionAt(float u, float v) => _region(Math.Clamp(u, 0f, 1f), Math.Clamp(v, 0f, 1f));

    public static Scene Create(DemoSubject subject, Random random, float aspect)
    {
        float R(float lo, float hi) => lo + ((float)random.NextDouble() * (hi - lo));
        bool InEllipse(float u, float v, float cx, float cy, float rx, float ry) =>
            (((u - cx) / rx) * ((u - cx) / rx)) + (((v - cy) / ry) * ((v - cy) / ry)) <= 1f;

        switch (subject)
        {
            case DemoSubject.Landscape:
            {
                var horizon = R(0.45f, 0.62f);
                var amp = R(0.04f, 0.12f);
                var freq = R(4f, 9f);
                var phase = R(0f, 6.28f);
                var (sx, sy, sr) = (R(0.15f, 0.85f), R(0.12f, 0.3f), R(0.06f, 0.1f));
                return new Scene((u, v) =>
                {
                    var hill = horizon + (amp * MathF.Sin((u * freq) + phase));
                    if (v > hill + 0.12f)
                    {
                        return 1;
                    }

                    if (v > hill)
                    {
                        return 2;
                    }

                    return InEllipse(u, v, sx, sy, sr, sr * aspect) ? 3 : 0;
                });
            }

            case DemoSubject.Portrait:
            {
                var (cx, cy) = (R(0.42f, 0.58f), R(0.32f, 0.4f));
                var (rx, ry) = (R(0.15f, 0.2f), R(0.13f, 0.17f));
                return new Scene((u, v) =>
                {
                    if (InEllipse(u, v, cx, cy - (ry * 0.45f), rx * 1.08f, ry * 0.65f) && v < cy - (ry * 0.1f))
                    {
                        return 3;
                    }

                    if (InEllipse(u, v, cx, cy, rx, ry))
                    {
                        return 2;
                    }

                    var shoulder = cy + ry + 0.06f;
                    return v > shoulder && MathF.Abs(u - cx) < 0.18f + ((v - shoulder) * 0.9f) ? 1 : 0;
                });
            }

            case DemoSubject.StillLife:
            {
                var table = R(0.58f, 0.7f);
                var vx = R(0.3f, 0.55f);
                var fruits = Enumerable.Range(0, random.Next(2, 5)).Select(_ => (X: R(0.2f, 0.85f), R: R(0.04f, 0.07f))).ToArray();
                return new Scene((u, v) =>
                {
                    foreach (var f in fruits)
                    {
                        if (InEllipse(u, v, f.X, table + 0.02f - f.R, f.R, f.R * aspect))
                        {
                            return 3;
                        }
                    }

                    if (InEllipse(u, v, vx, table - 0.13f, 0.11f, 0.14f) || (MathF.Abs(u - vx) < 0.035f && v > table - 0.38f && v < table - 0.13f))
                    {
                        return 2;
                    }

                    return v > table ? 1 : 0;
                });
            }

            case DemoSubject.Cityscape:
            {
                var buildings = new List<(float X0, float X1, float Top)>();
                for (var x = 0f; x < 1f;)
                {
                    var w = R(0.07f, 0.18f);
                    buildings.Add((x, x + w, R(0.25f, 0.65f)));
                    x += w + R(0f, 0.03f);
                }

                var ground = R(0.84f, 0.9f);
                return new Scene((u, v) =>
                {
                    if (v > ground)
                    {
                        return 1;
                    }

                    foreach (var (x0, x1, top) in buildings)
                    {
                        if (u >= x0 && u < x1 && v >= top)
                        {
                            var wx = (u - x0) / (x1 - x0);
                            var wy = (v - top) * 18f;
                            return wx is > 0.2f and < 0.8f && (wy % 1f) < 0.45f && ((int)(wx * 3) % 2 == 0) ? 3 : 2;
                        }
                    }

                    return 0;
                });
            }

            case DemoSubject.Seascape:
            {
                var horizon = R(0.4f, 0.55f);
                var (bx, by) = (R(0.25f, 0.75f), horizon + R(0.08f, 0.18f));
                var (mx, my) = (R(0.1f, 0.9f), R(0.1f, 0.25f));
                return new Scene((u, v) =>
                {
                    if (v < by && v > by - 0.22f && u > bx - ((by - v) * 0.4f) && u < bx + 0.01f)
                    {
                        return 2;
                    }

                    if (v > by && v < by + 0.03f && MathF.Abs(u - bx) < 0.09f)
                    {
                        return 2;
                    }

                    if (v > horizon + (0.008f * MathF.Sin(u * 60f)))
                    {
                        return 1;
                    }

                    return InEllipse(u, v, mx, my, 0.05f, 0.05f * aspect) ? 3 : 0;
                });
            }

            default:
            {
                var ground = R(0.72f, 0.82f);
                var tx = R(0.35f, 0.65f);
                var blobs = Enumerable.Range(0, 6).Select(_ => (X: tx + R(-0.14f, 0.14f), Y: R(0.22f, 0.45f), R: R(0.1f, 0.17f))).ToArray();
                return new Scene((u, v) =>
                {
                    if (MathF.Abs(u - tx) < 0.03f + ((v - 0.4f) * 0.04f) && v > 0.35f && v <= ground + 0.02f)
                    {
                        return 3;
                    }

                    foreach (var b in blobs)
                    {
                        if (InEllipse(u, v, b.X, b.Y, b.R, b.R * aspect))
                        {
                            return 2;
                        }
                    }

                    return v > ground ? 1 : 0;
                });
            }
        }
    }
}
