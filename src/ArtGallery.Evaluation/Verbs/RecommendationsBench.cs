using ArtGallery.Core.Recommendations;
using ArtGallery.Core.Search;
using ArtGallery.Data.Entities;
using NpgsqlTypes;
using Pgvector;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>bench recs</c>: the real feed service over a synthetic catalogue (own database, gallery schema) with
/// realistic vectors and a thousand events per visitor, timed next to single pgvector queries in the same run.
/// </summary>
internal static class RecommendationsBench
{
    public const string DatabaseName = "ag_bench_recs";

    public static Command Create(HostStarter cli)
    {
        var works = new Option<int>("--works") { DefaultValueFactory = _ => 100_000, Description = "catalogue size" };
        var users = new Option<int>("--users") { DefaultValueFactory = _ => 50, Description = "visitors with a history" };
        var events = new Option<int>("--events") { DefaultValueFactory = _ => 1000, Description = "events per visitor" };
        var requests = new Option<int>("--requests") { DefaultValueFactory = _ => 400, Description = "timed feeds (and as many single queries)" };
        var keep = new Option<bool>("--keep") { Description = "keep the bench database afterwards" };
        var reuse = new Option<bool>("--reuse") { Description = "time against the database a --keep run left (same --works, --users, --events) instead of building it again" };
        var command = new Command("recs", "Feed latency (p50/p99) at 100,000 works and 1,000 events per visitor, next to one pgvector nearest-neighbour query's.") { works, users, events, requests, keep, reuse };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await cli.StartAsync(ct);
            var gallery = HostStarter.GalleryConnectionString(host);
            var (nWorks, nUsers, nEvents, nRequests) = (parse.GetValue(works), parse.GetValue(users), parse.GetValue(events), parse.GetValue(requests));
            if (nWorks < 1000 || nUsers < 1 || nEvents < 10 || nRequests < 20)
            {
                AnsiConsole.MarkupLine("[red]bench recs needs --works ≥ 1000, --users ≥ 1, --events ≥ 10 and --requests ≥ 20[/]");
                return 2;
            }

            await RunAsync(cli, gallery, nWorks, nUsers, nEvents, nRequests, parse.GetValue(keep), parse.GetValue(reuse), ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(HostStarter cli, string galleryConnectionString, int works, int users, int eventsPerUser, int requests, bool keep, bool reuse, CancellationToken ct)
    {
        await using var database = await BenchDatabase.OpenAsync(cli, galleryConnectionString, DatabaseName, keep, reuse, ct);
        (reuse, var bench, var provider) = (database.Reused, database.DataSource, database.Host.Services);
        var clock = Stopwatch.StartNew();
        var catalogue = await LoadCatalogueAsync(bench, works, reuse, ct);
        var loaded = clock.Elapsed;
        var visitorKeys = reuse ? await ReadVisitorsAsync(bench, works, users, eventsPerUser, ct) : await LoadEventsAsync(bench, catalogue, users, eventsPerUser, ct);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"catalogue: {works:N0} works, {users} visitors x {eventsPerUser} events; {(reuse ? "reused" : "loaded and indexed")} in {loaded.TotalSeconds:0.0} s (+{(clock.Elapsed - loaded).TotalSeconds:0.0} s events)"));

        var feeds = provider.GetRequiredService<RecommendationService>();
        var engagements = provider.GetRequiredService<EngagementService>();
        var search = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchOptions>>().Value;

        // The single query with the feed's index settings.
        await using var single = await PlainStyleQuery.OpenAsync(bench, NearestNeighbours.IndexSettingsSql(search).Replace("SET LOCAL", "SET", StringComparison.Ordinal), k: 24, ct);

        // Where a feed's time goes: the service's phase activities, collected over the timed feeds.
        var phases = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var scanCounts = new List<int>();
        var timing = false;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RecommendationService.TelemetryName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Volatile.Read(ref timing))
                {
                    lock (phases)
                    {
                        if (activity.GetTagItem("scans") is int scans)
                        {
                            scanCounts.Add(scans);
                        }

                        (phases.TryGetValue(activity.OperationName, out var list) ? list : phases[activity.OperationName] = []).Add(activity.Duration.TotalMilliseconds);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var cold = new List<double>();
        foreach (var key in visitorKeys)
        {
            var t = Stopwatch.GetTimestamp();
            await feeds.GetFeedAsync(key, cancellationToken: ct);
            cold.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        // Untimed rounds first, so the timed ones see the steady state of a long-running server: .NET's tiered
        // JIT recompiles hot methods in the background during the first few hundred calls (a 20 ms stall now and
        // then), and every pooled connection has its catalogue caches filled.
        for (var r = 0; r < Warmup; r++)
        {
            await feeds.GetFeedAsync(visitorKeys[r % visitorKeys.Count], cancellationToken: ct);
            await single.TimeAsync(ct);
        }

        Volatile.Write(ref timing, true);
        var feedMs = new List<double>();
        var knnMs = new List<double>();
        var query = new float[SyntheticStyleVectors.Dimensions];
        var random = new Random(5);
        for (var r = 0; r < requests; r++)
        {
            var key = visitorKeys[r % visitorKeys.Count];
            if (r % 10 == 9)
            {
                // Now and then a new like, so the feed also pays for reading fresh events.
                await engagements.RecordAsync(key, EngagementKind.Like, 1 + random.Next(works), ct);
            }

            var t = Stopwatch.GetTimestamp();
            var feed = await feeds.GetFeedAsync(key, cancellationToken: ct);
            feedMs.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (feed.Cards.Count == 0)
            {
                throw new InvalidOperationException($"the feed of {key} came back empty");
            }

            catalogue.Styles.Query(r, query);
            knnMs.Add(await single.TimeAsync(query, ct));
        }

        Volatile.Write(ref timing, false);
        var breakdown = new Table().AddColumns("feed phase", "p50 ms", "p99 ms", "mean ms", "samples");
        foreach (var (name, list) in phases.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            breakdown.AddRow(name, F(Timing.Percentile(list, 50)), F(Timing.Percentile(list, 99)), F(list.Average()), list.Count.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(breakdown);
        if (scanCounts.Count > 0)
        {
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"HNSW scans per feed: mean {scanCounts.Average():0.00}, most {scanCounts.Max()}"));
        }

        var table = new Table().AddColumns("measured", "p50 ms", "p99 ms", "samples");
        table.AddRow("feed, first of each visitor (history read from the database)", F(Timing.Percentile(cold, 50)), F(Timing.Percentile(cold, 99)), cold.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("feed (history cached, new events read)", F(Timing.Percentile(feedMs, 50)), F(Timing.Percentile(feedMs, 99)), feedMs.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("single pgvector query (style, k 24, HNSW)", F(Timing.Percentile(knnMs, 50)), F(Timing.Percentile(knnMs, 99)), knnMs.Count.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"feed_p50_ms={F(Timing.Percentile(feedMs, 50))} feed_p99_ms={F(Timing.Percentile(feedMs, 99))} knn_p99_ms={F(Timing.Percentile(knnMs, 99))} ratio={Timing.Percentile(feedMs, 99) / Timing.Percentile(knnMs, 99):0.00}"));
    }

    private const int Warmup = 200;

    internal sealed record Catalogue(SyntheticStyleVectors Styles, int[] ClusterOf, Dictionary<int, List<int>> ByCluster, int[] ArtistOf);

    private const int ArtistsPerCluster = 10;
    private const int StyleTags = 20;

    /// <summary>The synthetic catalogue (artists, works, style tags, embeddings) by binary COPY, HNSW built after; also <c>bench market</c>'s.</summary>
    internal static async Task<Catalogue> LoadCatalogueAsync(NpgsqlDataSource bench, int works, bool reuse, CancellationToken ct)
    {
        var styles = new SyntheticStyleVectors(seed: 11);
        var contents = new SyntheticStyleVectors(seed: 12, clusters: 60);
        var clusterOf = new int[works + 1];
        for (var i = 1; i <= works; i++)
        {
            clusterOf[i] = styles.ClusterOf(i);
        }

        var artists = styles.Clusters * ArtistsPerCluster;
        var artistOf = new int[works + 1];
        await using var connection = await bench.OpenConnectionAsync(ct);
        if (reuse)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM \"Embeddings\"", connection);
            var stored = (long)(await count.ExecuteScalarAsync(ct))!;
            if (stored != works)
            {
                throw new InvalidOperationException($"--reuse: {DatabaseName} holds {stored:N0} works, not {works:N0}; run without --reuse");
            }

            for (var i = 1; i <= works; i++)
            {
                artistOf[i] = ArtistOf(clusterOf[i], i);
            }

            return new Catalogue(styles, clusterOf, Enumerable.Range(1, works).GroupBy(i => clusterOf[i]).ToDictionary(g => g.Key, g => g.ToList()), artistOf);
        }

        await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"""
            INSERT INTO "Artists" ("Id", "Name", "Slug", "IsGenerated", "CreatedAt")
            SELECT g, 'Bench artist ' || g, 'bench-artist-' || g, true, now() FROM generate_series(1, {artists}) g;
            INSERT INTO "Tags" ("Id", "Vocabulary", "Name", "Slug")
            SELECT g, '{TagVocabulary.Style}', 'Bench style ' || g, 'bench-style-' || g FROM generate_series(1, {StyleTags}) g;
            """), ct);

        // HNSW is built once after the load: inserting 100,000 rows into a live graph takes many times longer.
        var indexes = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'Embeddings' AND indexdef LIKE '%hnsw%'", connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                indexes.Add(reader.GetString(1));
            }
        }

        foreach (var definition in indexes)
        {
            var name = definition.Split(' ')[2];
            await ExecuteAsync(connection, $"DROP INDEX {name}", ct);
        }

        var now = DateTimeOffset.UtcNow;
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("catalogue", maxValue: works);
            await using (var artworks = await connection.BeginBinaryImportAsync(
                "COPY \"Artworks\" (\"Id\", \"Title\", \"ArtistId\", \"ImageSha256\", \"ImageFormat\", \"PixelWidth\", \"PixelHeight\", \"FileBytes\", \"Palette\", \"IsGenerated\", \"CreatedAt\", \"UpdatedAt\", \"Source\") FROM STDIN (FORMAT BINARY)", ct))
            {
                for (var i = 1; i <= works; i++)
                {
                    artistOf[i] = ArtistOf(clusterOf[i], i);
                    await artworks.StartRowAsync(ct);
                    await artworks.WriteAsync(i, NpgsqlDbType.Integer, ct);
                    await artworks.WriteAsync($"Bench work {i}", NpgsqlDbType.Varchar, ct);
                    await artworks.WriteAsync(artistOf[i], NpgsqlDbType.Integer, ct);
                    await artworks.WriteAsync(i.ToString("x64", CultureInfo.InvariantCulture), NpgsqlDbType.Char, ct);
                    await artworks.WriteAsync("PNG", NpgsqlDbType.Varchar, ct);
                    await artworks.WriteAsync(640, NpgsqlDbType.Integer, ct);
                    await artworks.WriteAsync(480, NpgsqlDbType.Integer, ct);
                    await artworks.WriteAsync(100_000L, NpgsqlDbType.Bigint, ct);
                    await artworks.WriteAsync(Palette(clusterOf[i], i), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                    await artworks.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                    await artworks.WriteAsync(now.AddSeconds(-i), NpgsqlDbType.TimestampTz, ct);
                    await artworks.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                    await artworks.WriteAsync($"bench:{clusterOf[i]}", NpgsqlDbType.Text, ct);
                }

                await artworks.CompleteAsync(ct);
            }

            await using (var embeddings = await connection.BeginBinaryImportAsync(
                "COPY \"Embeddings\" (\"ArtworkId\", \"EncoderVersion\", \"Style\", \"Content\", \"CreatedAt\") FROM STDIN (FORMAT BINARY)", ct))
            {
                var style = new float[SyntheticStyleVectors.Dimensions];
                var wide = new float[SyntheticStyleVectors.Dimensions];
                for (var i = 1; i <= works; i++)
                {
                    styles.Catalogue(i, style);
                    contents.Catalogue(i, wide);
                    await embeddings.StartRowAsync(ct);
                    await embeddings.WriteAsync(i, NpgsqlDbType.Integer, ct);
                    await embeddings.WriteAsync(ArtGallery.Engines.Encoding.StyleEncoder.Version, NpgsqlDbType.Varchar, ct);
                    await embeddings.WriteAsync(new Vector(style), ct);
                    await embeddings.WriteAsync(new Vector(Fold(wide)), ct);
                    await embeddings.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                    if (i % 1000 == 0)
                    {
                        task.Value = i;
                    }
                }

                await embeddings.CompleteAsync(ct);
            }

            task.Value = works;
        });

        await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"""
            INSERT INTO "ArtworkTags" ("ArtworkId", "TagId", "Source", "Status", "Confidence", "CreatedAt")
            SELECT "Id", 1 + (split_part("Source", ':', 2)::int % {StyleTags}), '{TagSource.Curator}', '{TagStatus.Accepted}', 1, now() FROM "Artworks";
            SELECT setval(pg_get_serial_sequence('"Artworks"', 'Id'), {works});
            SET maintenance_work_mem = '2GB';
            """), ct);
        foreach (var definition in indexes)
        {
            await AnsiConsole.Status().StartAsync($"building {Markup.Escape(definition.Split(' ')[2])}", async _ => await ExecuteAsync(connection, definition, ct));
        }

        await ExecuteAsync(connection, "ANALYZE", ct);
        var byCluster = Enumerable.Range(1, works).GroupBy(i => clusterOf[i]).ToDictionary(g => g.Key, g => g.ToList());
        return new Catalogue(styles, clusterOf, byCluster, artistOf);
    }

    private static int ArtistOf(int cluster, int work) => 1 + (cluster * ArtistsPerCluster) + (work % ArtistsPerCluster);

    /// <summary>The visitors a --keep run left, checked against the requested sizes.</summary>
    private static async Task<List<string>> ReadVisitorsAsync(NpgsqlDataSource bench, int works, int users, int perUser, CancellationToken ct)
    {
        var keys = new List<string>();
        await using var command = bench.CreateCommand("SELECT \"VisitorKey\", count(*) FROM \"Engagements\" GROUP BY 1 ORDER BY min(\"Id\")");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetInt64(1) < perUser)
            {
                throw new InvalidOperationException($"--reuse: visitor {reader.GetString(0)} has {reader.GetInt64(1)} events, fewer than {perUser}; run without --reuse");
            }

            keys.Add(reader.GetString(0));
        }

        if (keys.Count != users)
        {
            throw new InvalidOperationException($"--reuse: {DatabaseName} holds {keys.Count} visitors, not {users} ({works:N0} works); run without --reuse");
        }

        return keys;
    }

    /// <summary>
    /// Each visitor has three interests (clusters, popular ones likelier) and a thousand events over 90 days:
    /// 80 % on works of their interests, the rest anywhere; 60 % views (1–60 s), 25 % likes, 5 % saves, 5 %
    /// "not interested", 5 % follows of the work's artist.
    /// </summary>
    private static async Task<List<string>> LoadEventsAsync(NpgsqlDataSource bench, Catalogue catalogue, int users, int perUser, CancellationToken ct)
    {
        var random = new Random(3);
        var works = catalogue.ClusterOf.Length - 1;
        var keys = new List<string>();
        var now = DateTimeOffset.UtcNow;
        await using var connection = await bench.OpenConnectionAsync(ct);
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY \"Engagements\" (\"VisitorKey\", \"Kind\", \"ArtworkId\", \"ArtistId\", \"DwellMs\", \"At\") FROM STDIN (FORMAT BINARY)", ct);
        for (var u = 0; u < users; u++)
        {
            var key = VisitorKeys.ForCookie(VisitorKeys.NewCookieId());
            keys.Add(key);
            var interests = Enumerable.Range(0, 3).Select(_ => catalogue.ClusterOf[1 + random.Next(works)]).ToArray();
            for (var e = 0; e < perUser; e++)
            {
                var pool = catalogue.ByCluster[interests[random.Next(interests.Length)]];
                var work = random.NextDouble() < 0.8 ? pool[random.Next(pool.Count)] : 1 + random.Next(works);
                var r = random.NextDouble();
                var kind = r switch { < 0.60 => EngagementKind.View, < 0.85 => EngagementKind.Like, < 0.90 => EngagementKind.Save, < 0.95 => EngagementKind.Dismiss, _ => EngagementKind.Follow };
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(key, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync((short)kind, NpgsqlDbType.Smallint, ct);
                if (kind == EngagementKind.Follow)
                {
                    await writer.WriteNullAsync(ct);
                    await writer.WriteAsync(catalogue.ArtistOf[work], NpgsqlDbType.Integer, ct);
                }
                else
                {
                    await writer.WriteAsync(work, NpgsqlDbType.Integer, ct);
                    await writer.WriteNullAsync(ct);
                }

                if (kind == EngagementKind.View)
                {
                    await writer.WriteAsync(1000 + random.Next(59_000), NpgsqlDbType.Integer, ct);
                }
                else
                {
                    await writer.WriteNullAsync(ct);
                }

                await writer.WriteAsync(now.AddDays(-90.0 * (perUser - e) / perUser), NpgsqlDbType.TimestampTz, ct);
            }
        }

        await writer.CompleteAsync(ct);
        return keys;
    }

    /// <summary>A 512-dimensional content vector from a second synthetic 1024-d one (halves summed, unit length).</summary>
    private static float[] Fold(float[] wide)
    {
        var half = wide.Length / 2;
        var folded = new float[half];
        for (var d = 0; d < half; d++)
        {
            folded[d] = wide[d] + wide[d + half];
        }

        var norm = MathF.Sqrt(folded.Sum(v => v * v));
        return [.. folded.Select(v => v / norm)];
    }

    /// <summary>Five colours around a hue per cluster, so the warm-cool direction has something to find.</summary>
    private static string[] Palette(int cluster, int work)
    {
        var hue = (cluster * 37) % 360;
        return [.. Enumerable.Range(0, 5).Select(k => Hex((hue + (k * 9) + (work % 7)) % 360, 0.5 + (0.08 * k)))];
    }

    private static string Hex(double hue, double light)
    {
        static double F(double n, double h, double l) { var k = (n + (h / 30)) % 12; var a = 0.6 * Math.Min(l, 1 - l); return l - (a * Math.Max(-1, Math.Min(Math.Min(k - 3, 9 - k), 1))); }
        return string.Create(CultureInfo.InvariantCulture, $"#{(int)(255 * F(0, hue, light)):x2}{(int)(255 * F(8, hue, light)):x2}{(int)(255 * F(4, hue, light)):x2}");
    }

    internal static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    internal static async Task ExecuteAsync(NpgsqlDataSource source, string sql, CancellationToken ct)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
