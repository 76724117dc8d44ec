using Pgvector;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// Puts the synthetic catalogue beside the gallery's own style embeddings, on the statistics that
/// matter to an index, each over the same number of vectors, so a reader can judge the stand-in.
/// </summary>
internal static class KnnRealismCheck
{
    private const int Count = 600;

    public static async Task RunAsync(NpgsqlDataSource gallery, SyntheticStyleVectors generator, CancellationToken ct)
    {
        var real = new List<float[]>();
        await using (var command = gallery.CreateCommand($"SELECT \"Style\" FROM \"Embeddings\" ORDER BY \"ArtworkId\" LIMIT {Count}"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                real.Add(reader.GetFieldValue<Vector>(0).ToArray());
            }
        }

        if (real.Count < 50)
        {
            Console.WriteLine("realism check skipped: the gallery has fewer than 50 style embeddings (run seed-demo)");
            return;
        }

        var synthetic = new List<float[]>();
        for (var i = 0; i < real.Count; i++)
        {
            var v = new float[SyntheticStyleVectors.Dimensions];
            generator.Catalogue(i, v);
            synthetic.Add(v);
        }

        var table = new Table().Title($"realism check, {real.Count} vectors each")
            .AddColumns("set", "mean cosine, all pairs", "mean cosine to 1-NN", "min cosine to 1-NN", "effective dims");
        foreach (var (name, set) in new[] { ("demo style embeddings", real), ("synthetic", synthetic) })
        {
            var (mean, nearest, minNearest) = VectorSetStatistics.Cosines(set);
            table.AddRow(name, F(mean, 3), F(nearest, 3), F(minNearest, 3), F(VectorSetStatistics.ParticipationRatio(set), 1));
        }

        AnsiConsole.Write(table);
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
