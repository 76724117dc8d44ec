using System.Globalization;
using System.Numerics.Tensors;
using Pgvector;

namespace ArtGallery.Core.Recommendations;

/// <summary>
/// The directions the steering controls move the query along: each accepted style's centre in style
/// space, and the difference between the centres of the warmest and the coolest third of the works by palette.
/// </summary>
public static class SteeringDirectionsLoader
{
    /// <summary>Works read to find the warm-minus-cool direction (a fixed-stride sample on large collections).</summary>
    private const int WarmthSample = 3000;

    public static async Task<SteeringDirections> LoadAsync(GalleryDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var centres = new Dictionary<string, float[]>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
                SELECT t."Name", avg(e."Style")
                FROM "Embeddings" e
                JOIN "ArtworkTags" x ON x."ArtworkId" = e."ArtworkId" AND x."Status" = '{TagStatus.Accepted}'
                JOIN "Tags" t ON t."Id" = x."TagId" AND t."Vocabulary" = '{TagVocabulary.Style}'
                GROUP BY t."Name"
                HAVING count(*) >= 3
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                centres[reader.GetString(0)] = Unit(reader.GetFieldValue<Vector>(1).ToArray());
            }
        }

        var total = await db.Embeddings.CountAsync(cancellationToken);
        var stride = Math.Max(1, total / WarmthSample);
        var sample = await db.Embeddings.AsNoTracking().Where(e => e.ArtworkId % stride == 0)
            .OrderBy(e => e.ArtworkId).Take(WarmthSample)
            .Select(e => new { e.Style, e.Artwork!.Palette }).ToListAsync(cancellationToken);
        var byWarmth = sample.Where(s => s.Palette.Count > 0).OrderBy(s => Warmth(s.Palette)).ToList();
        float[]? warmMinusCool = null;
        if (byWarmth.Count >= 9)
        {
            var third = byWarmth.Count / 3;
            var cool = Mean(byWarmth.Take(third).Select(s => s.Style.ToArray()));
            var warm = Mean(byWarmth.TakeLast(third).Select(s => s.Style.ToArray()));
            TensorPrimitives.Subtract(warm, cool, warm);
            // Half a unit: a full slider moves the query about as far as a neighbouring style, not across the collection.
            warmMinusCool = Unit(warm);
            TensorPrimitives.Multiply(warmMinusCool, 0.5f, warmMinusCool);
        }

        return new SteeringDirections(centres, warmMinusCool);
    }

    /// <summary>
    /// −1 (blue) … +1 (red/orange) for a palette of "#rrggbb" colours, the dominant colour weighing most.
    /// </summary>
    public static double Warmth(IReadOnlyList<string> palette)
    {
        ArgumentNullException.ThrowIfNull(palette);
        double sum = 0, weights = 0;
        for (var i = 0; i < palette.Count; i++)
        {
            var hex = palette[i];
            if (hex.Length != 7 || hex[0] != '#' || !int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
            {
                continue;
            }

            var (r, b) = (((rgb >> 16) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
            var w = 1.0 / (i + 1);
            sum += w * (r - b);
            weights += w;
        }

        return weights == 0 ? 0 : sum / weights;
    }

    private static float[] Mean(IEnumerable<float[]> vectors)
    {
        float[]? sum = null;
        var n = 0;
        foreach (var v in vectors)
        {
            sum ??= new float[v.Length];
            TensorPrimitives.Add(sum, v, sum);
            n++;
        }

        TensorPrimitives.Divide(sum!, n, sum!);
        return sum!;
    }

    private static float[] Unit(float[] v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0)
        {
            TensorPrimitives.Divide(v, norm, v);
        }

        return v;
    }
}
