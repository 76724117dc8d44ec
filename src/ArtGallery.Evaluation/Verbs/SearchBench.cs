using ArtGallery.Core.Search;
using ArtGallery.Data.Entities;
using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Text;
using Microsoft.Extensions.Configuration;
using NpgsqlTypes;
using Pgvector;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>bench search</c>: search by words and by palette at 100,000 works, p50/p99 next to one plain
/// pgvector query on the same table in the same run, in a database of its own (migrated with the
/// gallery's schema, so the product's services and indexes are what is timed).
/// </summary>
internal static class SearchBench
{
    private const string DatabaseName = "ag_bench_search";

    // Distinct real texts embedded by the model; the other works' vectors are these plus small noise
    // (embedding 100,000 texts on two shared cores takes over an hour: 1,000 took 40 s).
    private const int EmbeddedTexts = 1000;

    public static Command Create(HostStarter cli)
    {
        var works = new Option<int>("--works") { DefaultValueFactory = _ => 100_000 };
        var queries = new Option<int>("--queries") { Description = "Timed queries per kind.", DefaultValueFactory = _ => 300 };
        var keep = new Option<bool>("--keep") { Description = "Keep the benchmark database afterwards." };
        var command = new Command("search", "Search by words and by palette at 100,000 works: p50/p99 next to one plain pgvector query, in a database of its own.") { works, queries, keep };
        command.SetAction(async (parse, ct) =>
        {
            var gallery = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetConnectionString("Gallery")
                ?? throw new InvalidOperationException("ConnectionStrings__Gallery is not set (run through ./run.sh cli)");
            await using var database = await BenchDatabase.OpenAsync(cli, gallery, DatabaseName, parse.GetValue(keep), reuse: false, ct);
            var status = await RunAsync(database.Host.Services, parse.GetValue(works), parse.GetValue(queries), ct);

            return status;
        });
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, int count, int queries, CancellationToken ct)
    {
        var encoder = services.GetRequiredService<TextEncoder>();
        if (!encoder.IsAvailable)
        {
            AnsiConsole.MarkupLine("[red]the text encoder is unavailable (see the log line above)[/]");
            return 1;
        }

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var sw = Stopwatch.StartNew();
        var plan = DemoCatalogue.Plan(count, 42);
        var texts = plan.Select(w => Source(w).Compose()).ToArray();
        var distinct = texts.Take(EmbeddedTexts).ToArray();
        var vectors = new List<float[]>(distinct.Length);
        foreach (var chunk in distinct.Chunk(64))
        {
            vectors.AddRange(encoder.Encode(chunk));
        }

        Console.WriteLine(F($"embedded {distinct.Length} real texts in {sw.Elapsed.TotalSeconds:0.0} s"));
        sw.Restart();
        await LoadAsync(dataSource, plan, texts, vectors, ct);
        Console.WriteLine(F($"loaded works={count} (texts, English tsvector, palettes) in {sw.Elapsed.TotalSeconds:0.0} s"));
        sw.Restart();
        await ExecuteAsync(dataSource, """
            SET maintenance_work_mem = '1GB';
            CREATE INDEX "IX_ArtworkTexts_Embedding" ON "ArtworkTexts" USING hnsw ("Embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64);
            CREATE INDEX "IX_ArtworkPalettes_Histogram" ON "ArtworkPalettes" USING hnsw ("Histogram" vector_cosine_ops) WITH (m = 16, ef_construction = 64);
            """, ct);
        foreach (var relation in new[] { "Artworks", "ArtworkTexts", "ArtworkPalettes" })
        {
            // VACUUM runs alone: not in a transaction or a multi-statement command.
            await ExecuteAsync(dataSource, $"VACUUM ANALYZE \"{relation}\"", ct);
        }

        Console.WriteLine(F($"built both HNSW indexes in {sw.Elapsed.TotalSeconds:0.0} s"));

        var words = services.GetRequiredService<WordSearchService>();
        var palette = services.GetRequiredService<PaletteSearchService>();
        var phrases = TextSearchEvaluation.Queries.Select(q => q.Text).ToArray();
        var embedded = phrases.ToDictionary(p => p, encoder.Encode);
        var random = new Random(7);
        var colourPairs = Enumerable.Range(0, 64).Select(_ => new[] { RandomColour(random), RandomColour(random) }).ToArray();

        // A narrow filter, the hard case for an index that ranks before it filters: the years of about 5 %
        // of the works (from the 10th to the 15th percentile of the plan's years).
        var years = plan.Select(w => w.Year).Order().ToArray();
        var narrow = new WorkFilters { YearFrom = years[years.Length / 10], YearTo = years[years.Length * 3 / 20] };
        var filterShare = plan.Count(w => w.Year >= narrow.YearFrom && w.Year <= narrow.YearTo) / (double)plan.Count;

        // One plain pgvector query: the 24 nearest text vectors by the HNSW index, ids only.
        await using var plainConnection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(plainConnection, "SET enable_seqscan = off; SET jit = off; SET hnsw.ef_search = 100", ct);
        async Task Plain(int i)
        {
            await using var command = new NpgsqlCommand("""SELECT "ArtworkId" FROM "ArtworkTexts" ORDER BY "Embedding" <=> $1 LIMIT 24""", plainConnection);
            command.Parameters.Add(new NpgsqlParameter { Value = new Vector(embedded[phrases[i % phrases.Length]]) });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
            }
        }

        var sides = new (string Name, Func<int, Task> Run)[]
        {
            ("plain_pgvector", Plain),
            ("words", i => words.SearchWithEmbeddingAsync(phrases[i % phrases.Length], embedded[phrases[i % phrases.Length]], 24, cancellationToken: ct)),
            ("words_with_model", i => words.SearchAsync(phrases[i % phrases.Length], 24, cancellationToken: ct)),
            ("palette", i => palette.SearchAsync(colourPairs[i % colourPairs.Length], 24, ct)),
            ("words_filtered", i => words.SearchWithEmbeddingAsync(phrases[i % phrases.Length], embedded[phrases[i % phrases.Length]], 24, narrow, cancellationToken: ct)),
            ("palette_filtered", i => palette.SearchAsync(colourPairs[i % colourPairs.Length], narrow, 24, ct)),
        };

        // Warm-up (caches, prepared plans, the reasons' phrase vectors), then rounds that alternate the
        // sides so a noisy neighbour on the shared machine slows them alike.
        foreach (var (_, run) in sides)
        {
            for (var i = 0; i < 40; i++)
            {
                await run(i);
            }
        }

        var times = sides.ToDictionary(s => s.Name, _ => new List<double>());
        for (var i = 0; i < queries; i++)
        {
            foreach (var (name, run) in sides)
            {
                var started = Stopwatch.GetTimestamp();
                await run(i);
                times[name].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        var table = new Table().AddColumns("query", "p50 ms", "p99 ms", "p99 / plain p99");
        var plainP99 = Timing.Percentile(times["plain_pgvector"], 99);
        foreach (var (name, _) in sides)
        {
            table.AddRow(name, F($"{Timing.Percentile(times[name], 50):0.00}"), F($"{Timing.Percentile(times[name], 99):0.00}"), F($"{Timing.Percentile(times[name], 99) / plainP99:0.00}"));
        }

        AnsiConsole.Write(table);
        string P(string name, double p) => F($"{Timing.Percentile(times[name], p):0.00}");
        Console.WriteLine($"works={count} plain_p50_ms={P("plain_pgvector", 50)} plain_p99_ms={P("plain_pgvector", 99)} words_p50_ms={P("words", 50)} words_p99_ms={P("words", 99)} "
            + $"words_model_p50_ms={P("words_with_model", 50)} words_model_p99_ms={P("words_with_model", 99)} palette_p50_ms={P("palette", 50)} palette_p99_ms={P("palette", 99)} "
            + F($"filter_share={filterShare:0.000} ") + $"words_filtered_p50_ms={P("words_filtered", 50)} words_filtered_p99_ms={P("words_filtered", 99)} "
            + $"palette_filtered_p50_ms={P("palette_filtered", 50)} palette_filtered_p99_ms={P("palette_filtered", 99)}");
        return 0;
    }

    private static WorkTextSource Source(DemoWork w) =>
        new(w.Index + 1, w.Title, w.Artist.Name, w.Year, w.Medium, $"A generated {w.Subject.ToString().ToLowerInvariant()} in the demo's {DemoCatalogue.MovementName(w.Movement)} manner.",
            [(TagVocabulary.Style, DemoCatalogue.MovementName(w.Movement)), (TagVocabulary.Subject, w.Subject.ToString()), (TagVocabulary.Medium, w.Medium)], Palette(w));

    /// <summary>A synthetic palette of six colours per work (painting 100,000 works to extract real ones would take hours).</summary>
    private static List<string> Palette(DemoWork w)
    {
        var random = new Random(w.Seed);
        return [.. Enumerable.Range(0, 6).Select(_ => RandomColour(random))];
    }

    private static string RandomColour(Random random) => F($"#{random.Next(256):x2}{random.Next(256):x2}{random.Next(256):x2}");

    private static async Task LoadAsync(NpgsqlDataSource dataSource, IReadOnlyList<DemoWork> plan, string[] texts, List<float[]> vectors, CancellationToken ct)
    {
        // Indexes are built after the load, as pgvector advises for bulk data.
        await ExecuteAsync(dataSource, """DROP INDEX "IX_ArtworkTexts_Embedding"; DROP INDEX "IX_ArtworkPalettes_Histogram";""", ct);
        var now = DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var writer = await connection.BeginBinaryImportAsync("""COPY "Artworks" ("Id", "Title", "ImageSha256", "ImageFormat", "PixelWidth", "PixelHeight", "FileBytes", "Palette", "IsGenerated", "CreatedAt", "UpdatedAt", "Year") FROM STDIN (FORMAT BINARY)""", ct))
        {
            foreach (var w in plan)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(w.Index + 1, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(w.Title, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(F($"{w.Index:x64}"), NpgsqlDbType.Char, ct);
                await writer.WriteAsync("JPEG", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(w.Width, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(w.Height, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(100_000L, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(Palette(w), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(w.Year, NpgsqlDbType.Integer, ct);
            }

            await writer.CompleteAsync(ct);
        }

        var random = new Random(11);
        await using (var writer = await connection.BeginBinaryImportAsync("""COPY "ArtworkTexts" ("ArtworkId", "EncoderVersion", "Text", "Embedding", "UpdatedAt") FROM STDIN (FORMAT BINARY)""", ct))
        {
            for (var i = 0; i < plan.Count; i++)
            {
                var vector = i < vectors.Count ? vectors[i] : Jitter(vectors[i % vectors.Count], random);
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(i + 1, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(TextEncoder.Version, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(texts[i], NpgsqlDbType.Text, ct);
                await writer.WriteAsync(new Vector(vector), ct);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }

            await writer.CompleteAsync(ct);
        }

        await using (var writer = await connection.BeginBinaryImportAsync("""COPY "ArtworkPalettes" ("ArtworkId", "Version", "Histogram") FROM STDIN (FORMAT BINARY)""", ct))
        {
            foreach (var w in plan)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(w.Index + 1, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(PaletteHistogram.Version, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(new Vector(PaletteHistogram.FromPalette(Palette(w))), ct);
            }

            await writer.CompleteAsync(ct);
        }

        await ExecuteAsync(connection, """SELECT setval(pg_get_serial_sequence('"Artworks"', 'Id'), (SELECT max("Id") FROM "Artworks"))""", ct);
    }

    /// <summary>A real text vector moved by a little Gaussian noise (norm about 0.2) and renormalised.</summary>
    private static float[] Jitter(float[] vector, Random random)
    {
        var result = new float[vector.Length];
        var norm = 0.0;
        for (var d = 0; d < vector.Length; d++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            result[d] = vector[d] + (float)(0.01 * gaussian);
            norm += result[d] * result[d];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var d = 0; d < result.Length; d++)
        {
            result[d] *= scale;
        }

        return result;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, sql, ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
