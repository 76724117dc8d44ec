using ArtGallery.Core.Search;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>bench knn</c>: HNSW build time, recall@10 against an exact scan, and client round-trip latency
/// on a synthetic catalogue shaped like the product's style embeddings, in a database of its own.
/// </summary>
internal static class KnnBench
{
    private const int K = 10;

    // Row i belongs to category i % 10 and query j filters on category j % 10: 10% selectivity,
    // independent of where the vector lies (ids are assigned before vectors are drawn).
    private const int Categories = 10;
    private const int BlockRows = 4096;
    private const int QueryTile = 16;
    private const int Dims = SyntheticStyleVectors.Dimensions;

    private static readonly IterativeScan[] FilterModes = [IterativeScan.Off, IterativeScan.StrictOrder, IterativeScan.RelaxedOrder];

    private sealed record Options(int N, int Queries, int[] EfSearch, int M, int EfConstruction, string MaintenanceWorkMem, int Workers, int Seed, bool Keep, bool Halfvec);

    private sealed record Row(string Column, int EfSearch, IterativeScan Scan, bool Filtered, double Recall, double Full, double P50, double P99, double Mean);

    public static Command Create(HostStarter cli)
    {
        var n = new Option<int>("--n") { Description = "Catalogue size (vectors in the table).", DefaultValueFactory = _ => 100_000 };
        var queries = new Option<int>("--queries") { Description = "Held-out query vectors.", DefaultValueFactory = _ => 500 };
        var ef = new Option<string>("--ef-search") { Description = "Comma-separated hnsw.ef_search values.", DefaultValueFactory = _ => "40,64,100,200" };
        var m = new Option<int>("--m") { Description = "HNSW m (the product uses 16).", DefaultValueFactory = _ => 16 };
        var efConstruction = new Option<int>("--ef-construction") { Description = "HNSW ef_construction (the product uses 64).", DefaultValueFactory = _ => 64 };
        var memory = new Option<string>("--maintenance-work-mem") { Description = "maintenance_work_mem for the builds; default sized so the graph fits (~6 kB a vector, at least 1GB)." };
        var workers = new Option<int>("--workers") { Description = "max_parallel_maintenance_workers for the builds (the leader builds too).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 42 };
        var keep = new Option<bool>("--keep") { Description = $"Keep the {KnnBenchDatabase.DatabaseName} database afterwards." };
        var noHalfvec = new Option<bool>("--no-halfvec") { Description = "Skip the halfvec index and its queries." };
        var command = new Command("knn", "HNSW build time, recall@10 and latency (plain and 10%-filtered, iterative scan, vector vs halfvec) on a synthetic style-embedding catalogue.")
        {
            n, queries, ef, m, efConstruction, memory, workers, seed, keep, noHalfvec,
        };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(n);
            var options = new Options(
                count,
                parse.GetValue(queries),
                [.. parse.GetValue(ef)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order()],
                parse.GetValue(m),
                parse.GetValue(efConstruction),
                parse.GetValue(memory) ?? $"{Math.Max(1, (int)Math.Ceiling(count * 6.0 / 1_000_000))}GB",
                parse.GetValue(workers),
                parse.GetValue(seed),
                parse.GetValue(keep),
                !parse.GetValue(noHalfvec));
            return await RunAsync(cli, options, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(HostStarter cli, Options o, CancellationToken ct)
    {
        using var host = await cli.StartAsync(ct);

        // Tables are the record: keep them readable when the output goes to a log file.
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 132);
        var connectionString = HostStarter.GalleryConnectionString(host);
        var started = TimeProvider.System.GetUtcNow();
        var generator = new SyntheticStyleVectors(o.Seed);
        var queries = new float[o.Queries][];
        for (var q = 0; q < o.Queries; q++)
        {
            queries[q] = new float[Dims];
            generator.Query(q, queries[q]);
        }

        await KnnRealismCheck.RunAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), generator, ct);

        await using var db = await KnnBenchDatabase.CreateAsync(connectionString, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"started={started:yyyy-MM-ddTHH:mm:ssZ} n={o.N} queries={o.Queries} seed={o.Seed} generator: rank={generator.Rank} clusters={generator.Clusters} spread={generator.Spread} noise={generator.Noise} threads={Environment.ProcessorCount}"));
        Console.WriteLine(
            $"postgres={await db.ScalarAsync("SHOW server_version", ct)} pgvector={await db.ScalarAsync("SELECT extversion FROM pg_extension WHERE extname = 'vector'", ct)} " +
            $"shared_buffers={await db.ScalarAsync("SHOW shared_buffers", ct)} maintenance_work_mem={o.MaintenanceWorkMem} max_parallel_maintenance_workers={o.Workers} " +
            $"hnsw.max_scan_tuples={await db.ScalarAsync("SHOW hnsw.max_scan_tuples", ct)} m={o.M} ef_construction={o.EfConstruction}");

        // Load and exact ground truth in one pass: each block is generated, scanned exactly for every
        // query (C#, TensorPrimitives dot products on the L2-normalised vectors), then copied.
        var truth = Enumerable.Range(0, o.Queries).Select(_ => new TopK(K)).ToArray();
        var truthFiltered = Enumerable.Range(0, o.Queries).Select(_ => new TopK(K)).ToArray();
        var exactWatch = new Stopwatch();
        var loadWatch = Stopwatch.StartNew();
        var nextReport = o.N / 10;
        await db.CopyAsync(o.N, BlockRows, (first, rows) =>
        {
            var block = new float[rows * Dims];
            Parallel.For(0, rows, r => generator.Catalogue(first + r, block.AsSpan(r * Dims, Dims)));
            exactWatch.Start();
            Parallel.For(0, (o.Queries + QueryTile - 1) / QueryTile, t =>
            {
                var start = t * QueryTile;
                var end = Math.Min(o.Queries, start + QueryTile);
                KnnMetrics.ExactScan(block, first, Dims, queries[start..end], truth[start..end], truthFiltered[start..end],
                    id => (int)(id % Categories), q => (start + q) % Categories);
            });
            exactWatch.Stop();
            return block;
        }, id => (int)(id % Categories), loaded =>
        {
            if (loaded >= nextReport)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loaded {loaded:N0} / {o.N:N0} in {loadWatch.Elapsed.TotalSeconds:F0} s"));
                nextReport += o.N / 10;
            }
        }, ct);
        var loadSeconds = loadWatch.Elapsed.TotalSeconds;

        // Hint bits and statistics now, so neither the builds nor the first timed queries pay for them.
        var vacuumWatch = Stopwatch.StartNew();
        await db.ExecuteAsync("VACUUM ANALYZE items", ct);
        var tableBytes = await db.RelationBytesAsync("items", ct) + long.Parse(await db.ScalarAsync("SELECT pg_total_relation_size('items') - pg_relation_size('items')", ct), CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load (generate + exact scan + binary COPY) {loadSeconds:F1} s, of which exact scan {exactWatch.Elapsed.TotalSeconds:F1} s; VACUUM ANALYZE {vacuumWatch.Elapsed.TotalSeconds:F1} s; table with TOAST {Mb(tableBytes)} MB"));

        var builds = new List<(string Column, double Seconds, long Bytes)>();
        var vectorBuild = await db.BuildIndexAsync(KnnBenchDatabase.VectorIndex, "embedding", "vector_cosine_ops", o.M, o.EfConstruction, o.MaintenanceWorkMem, o.Workers, ct);
        builds.Add(("vector", vectorBuild.TotalSeconds, await db.RelationBytesAsync(KnnBenchDatabase.VectorIndex, ct)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built {KnnBenchDatabase.VectorIndex} in {vectorBuild.TotalSeconds:F1} s"));
        if (o.Halfvec)
        {
            var halfBuild = await db.BuildIndexAsync(KnnBenchDatabase.HalfvecIndex, $"(embedding::halfvec({Dims}))", "halfvec_cosine_ops", o.M, o.EfConstruction, o.MaintenanceWorkMem, o.Workers, ct);
            builds.Add(("halfvec", halfBuild.TotalSeconds, await db.RelationBytesAsync(KnnBenchDatabase.HalfvecIndex, ct)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built {KnnBenchDatabase.HalfvecIndex} in {halfBuild.TotalSeconds:F1} s"));
        }

        foreach (var notice in db.Notices)
        {
            Console.WriteLine($"notice: {notice}");
        }

        var rows = await MeasureAsync(db, o, queries, truth, truthFiltered, ct);
        Report(o, builds, rows);

        if (o.Keep)
        {
            Console.WriteLine($"kept database {KnnBenchDatabase.DatabaseName}");
        }
        else
        {
            await db.DropAsync(ct);
        }

        return FinalLine(o, rows);
    }

    private static async Task<List<Row>> MeasureAsync(KnnBenchDatabase db, Options o, float[][] queries, TopK[] truth, TopK[] truthFiltered, CancellationToken ct)
    {
        await using var session = await db.OpenQuerySessionAsync(ct);
        var columns = o.Halfvec ? new[] { false, true } : [false];

        // Check every shape really runs on its HNSW index: a silent sequential scan would report
        // perfect recall and meaningless latency.
        await session.SetAsync(NearestNeighbours.DefaultEfSearch, IterativeScan.RelaxedOrder, ct);
        foreach (var halfvec in columns)
        {
            foreach (var (filtered, scan) in new[] { (false, IterativeScan.Off), (true, IterativeScan.Off), (true, IterativeScan.RelaxedOrder) })
            {
                var plan = await session.ExplainAsync(halfvec, filtered, scan, queries[0], ct);
                var index = halfvec ? KnnBenchDatabase.HalfvecIndex : KnnBenchDatabase.VectorIndex;
                if (!plan.Contains($"Index Scan using {index}", StringComparison.Ordinal))
                {
                    Console.WriteLine($"warning: not an HNSW index scan: {plan}");
                }
            }
        }

        // Warm-up: one untimed pass at the widest search, so the graph's pages are cached and the
        // timed passes compare search work, not first reads from disk.
        foreach (var halfvec in columns)
        {
            await session.SetAsync(o.EfSearch[^1], IterativeScan.Off, ct);
            foreach (var query in queries)
            {
                await session.RunAsync(halfvec, false, IterativeScan.Off, query, 0, ct);
            }
        }

        var rows = new List<Row>();
        foreach (var ef in o.EfSearch)
        {
            foreach (var halfvec in columns)
            {
                rows.Add(await PassAsync(session, halfvec, ef, filtered: false, IterativeScan.Off, queries, truth, ct));
            }
        }

        foreach (var ef in o.EfSearch)
        {
            foreach (var scan in FilterModes)
            {
                rows.Add(await PassAsync(session, halfvec: false, ef, filtered: true, scan, queries, truthFiltered, ct));
            }
        }

        return rows;
    }

    private static async Task<Row> PassAsync(KnnQuerySession session, bool halfvec, int ef, bool filtered, IterativeScan scan, float[][] queries, TopK[] truth, CancellationToken ct)
    {
        await session.SetAsync(ef, scan, ct);
        var times = new List<double>(queries.Length);
        double recall = 0, full = 0;
        for (var q = 0; q < queries.Length; q++)
        {
            var (ids, ms) = await session.RunAsync(halfvec, filtered, scan, queries[q], q % Categories, ct);
            times.Add(ms);
            recall += KnnMetrics.Recall(truth[q].Ids, ids, K);
            full += ids.Count >= K ? 1 : 0;
        }

        return new Row(halfvec ? "halfvec" : "vector", ef, scan, filtered, recall / queries.Length, full / queries.Length,
            Timing.Percentile(times, 50), Timing.Percentile(times, 99), times.Average());
    }

    private static void Report(Options o, List<(string Column, double Seconds, long Bytes)> builds, List<Row> rows)
    {
        var build = new Table().Title("HNSW build").AddColumns("column", "opclass", "build s", "index MB", "maintenance_work_mem", "parallel workers");
        foreach (var (column, seconds, bytes) in builds)
        {
            build.AddRow(column, $"{column}_cosine_ops", F(seconds, 1), Mb(bytes), o.MaintenanceWorkMem, o.Workers.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(build);
        var plain = new Table().Title($"k={K}, unfiltered, {o.Queries} queries, client round-trip").AddColumns("column", "ef_search", "recall@10", "p50 ms", "p99 ms", "mean ms");
        foreach (var r in rows.Where(r => !r.Filtered))
        {
            plain.AddRow(r.Column, r.EfSearch.ToString(CultureInfo.InvariantCulture), F(r.Recall, 3), F(r.P50, 2), F(r.P99, 2), F(r.Mean, 2));
        }

        AnsiConsole.Write(plain);
        var filtered = new Table().Title($"k={K}, WHERE category = c (10% of rows), vector").AddColumns("ef_search", "iterative_scan", "recall@10", "filtered_full", "p50 ms", "p99 ms", "mean ms");
        foreach (var r in rows.Where(r => r.Filtered))
        {
            filtered.AddRow(r.EfSearch.ToString(CultureInfo.InvariantCulture), KnnQuerySession.Setting(r.Scan), F(r.Recall, 3), F(r.Full, 3), F(r.P50, 2), F(r.P99, 2), F(r.Mean, 2));
        }

        AnsiConsole.Write(filtered);
        Console.WriteLine(string.Join(' ', builds.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Column}_build_s={b.Seconds:F1} {b.Column}_index_mb={Mb(b.Bytes)}"))));
    }

    private static string NoneMeets(List<Row> vector)
    {
        var recallOnly = vector.FirstOrDefault(r => r.Recall >= 0.95);
        return recallOnly is null
            ? "no measured ef_search reaches recall10 >= 0.95"
            : string.Create(CultureInfo.InvariantCulture, $"no measured ef_search meets both; recall10 >= 0.95 first at ef_search={recallOnly.EfSearch} (recall10={recallOnly.Recall:F3}, p99_ms={recallOnly.P99:F2})");
    }

    /// <summary>
    /// The closing line for the product's setting (ef_search 64, vector, cosine), unless that misses
    /// recall ≥ 0.95 or p99 ≤ 10 ms: then the smallest measured ef_search that meets both, said so.
    /// </summary>
    private static int FinalLine(Options o, List<Row> rows)
    {
        static bool Meets(Row r) => r.Recall >= 0.95 && r.P99 <= 10;
        var vector = rows.Where(r => !r.Filtered && r.Column == "vector").ToList();
        var product = vector.FirstOrDefault(r => r.EfSearch == NearestNeighbours.DefaultEfSearch);
        var chosen = product is not null && Meets(product) ? product : vector.FirstOrDefault(Meets) ?? product ?? vector[0];
        if (product is null || !Meets(product))
        {
            Console.WriteLine(product is null
                ? $"ef_search={NearestNeighbours.DefaultEfSearch} was not measured; reporting ef_search={chosen.EfSearch}"
                : string.Create(CultureInfo.InvariantCulture, $"ef_search={product.EfSearch} misses the target recall10 >= 0.95 and p99_ms <= 10 (recall10={product.Recall:F3}, p99_ms={product.P99:F2}); {(Meets(chosen) ? $"ef_search={chosen.EfSearch} is the smallest measured value that meets it" : NoneMeets(vector))}; reporting ef_search={chosen.EfSearch}"));
        }

        var relaxed = rows.First(r => r.Filtered && r.EfSearch == chosen.EfSearch && r.Scan == IterativeScan.RelaxedOrder);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"setting: vector(1024) cosine m={o.M} ef_construction={o.EfConstruction} ef_search={chosen.EfSearch}; filtered_full with hnsw.iterative_scan=relaxed_order"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"n={o.N} recall10={chosen.Recall:F3} p50_ms={chosen.P50:F2} p99_ms={chosen.P99:F2} filtered_full={relaxed.Full:F3}"));
        return 0;
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F0", CultureInfo.InvariantCulture);
}
