using ArtGallery.Core.Accounts;
using ArtGallery.Core.Market;
using NpgsqlTypes;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>bench market</c>: the real valuation service over the synthetic catalogue of <c>bench recs</c>
/// (its own database, gallery schema, loaded by binary COPY) plus a million SYNTHETIC sales, timed next to
/// one plain pgvector query in the same run.
/// </summary>
internal static class MarketBench
{
    public const string DatabaseName = "ag_bench_market";
    private const int FirstYear = 1990;
    private const int Years = 36;

    public static Command Create(HostStarter cli)
    {
        var works = new Option<int>("--works") { DefaultValueFactory = _ => 100_000, Description = "catalogue size" };
        var sales = new Option<int>("--sales") { DefaultValueFactory = _ => 1_000_000, Description = "sales (spread evenly over the works, at most 30 per work)" };
        var valuations = new Option<int>("--valuations") { DefaultValueFactory = _ => 200, Description = "timed valuations (and as many single queries)" };
        var keep = new Option<bool>("--keep") { Description = "keep the bench database afterwards" };
        var command = new Command("market", "Valuation latency at 100,000 works and 1,000,000 sales (and the model fit), next to one pgvector nearest-neighbour query's.") { works, sales, valuations, keep };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await cli.StartAsync(ct);
            var gallery = HostStarter.GalleryConnectionString(host);
            var (nWorks, nSales, nValuations) = (parse.GetValue(works), parse.GetValue(sales), parse.GetValue(valuations));
            if (nWorks < 1000 || nSales < nWorks || nSales > 30L * nWorks || nValuations < 20)
            {
                AnsiConsole.MarkupLine("[red]bench market needs --works ≥ 1000, works ≤ --sales ≤ 30 × works and --valuations ≥ 20[/]");
                return 2;
            }

            await RunAsync(cli, gallery, nWorks, nSales, nValuations, parse.GetValue(keep), ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(HostStarter cli, string galleryConnectionString, int works, int sales, int valuations, bool keep, CancellationToken ct)
    {
        await using var database = await BenchDatabase.OpenAsync(cli, galleryConnectionString, DatabaseName, keep, reuse: false, ct);
        var (bench, provider) = (database.DataSource, database.Host.Services);

        var clock = Stopwatch.StartNew();
        var catalogue = await RecommendationsBench.LoadCatalogueAsync(bench, works, reuse: false, ct);
        var catalogueTime = clock.Elapsed;
        await CopySalesAsync(bench, catalogue, works, sales, ct);
        var salesTime = clock.Elapsed - catalogueTime;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"catalogue: {works:N0} works loaded and indexed in {catalogueTime.TotalSeconds:0.0} s; {sales:N0} SYNTHETIC sales copied and analysed in {salesTime.TotalSeconds:0.0} s"));

        var market = provider.GetRequiredService<MarketService>();
        var caller = GalleryAccess.Operator;
        var fit = Stopwatch.StartNew();
        var first = await market.ValueAsync(caller, 1, ct) ?? throw new InvalidOperationException("no valuation: too few sales");
        var fitTime = fit.Elapsed;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"model: read {first.SalesInModel:N0} priced sales, fitted (embedding PCA, cross-validated ridge) and valued work 1 in {fitTime.TotalSeconds:0.0} s; image terms used: {first.ImageTermsUsed}"));

        await using var single = await PlainStyleQuery.OpenAsync(bench, "SET hnsw.ef_search = 100", k: 40, ct);

        var random = new Random(9);
        var query = new float[SyntheticStyleVectors.Dimensions];
        var valuationMs = new List<double>();
        var knnMs = new List<double>();
        var comparables = 0;
        for (var r = -20; r < valuations; r++)
        {
            var t = Stopwatch.GetTimestamp();
            var valuation = await market.ValueAsync(caller, 1 + random.Next(works), ct);
            var vMs = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            catalogue.Styles.Query(r + 20, query);
            var kMs = await single.TimeAsync(query, ct);

            // The first twenty of each are untimed: tiered JIT and the connection pool settle.
            if (r >= 0)
            {
                valuationMs.Add(vMs);
                knnMs.Add(kMs);
                comparables += valuation?.Comparables.Count ?? 0;
            }
        }

        var table = new Table().AddColumns("measured", "p50 ms", "p99 ms", "samples");
        table.AddRow("valuation (estimate, interval, 5 comparables by pgvector, drivers)", F(Timing.Percentile(valuationMs, 50)), F(Timing.Percentile(valuationMs, 99)), valuations.ToString(CultureInfo.InvariantCulture));
        table.AddRow("single pgvector query (style, k 40, HNSW)", F(Timing.Percentile(knnMs, 50)), F(Timing.Percentile(knnMs, 99)), valuations.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"works={works} sales={sales} fit_s={fitTime.TotalSeconds:0.0} valuation_p50_ms={F(Timing.Percentile(valuationMs, 50))} valuation_p99_ms={F(Timing.Percentile(valuationMs, 99))} knn_p50_ms={F(Timing.Percentile(knnMs, 50))} knn_p99_ms={F(Timing.Percentile(knnMs, 99))} ratio_p50={Timing.Percentile(valuationMs, 50) / Timing.Percentile(knnMs, 50):0.0} comparables_per_valuation={(double)comparables / valuations:0.0}"));
    }

    /// <summary>
    /// Sales spread evenly over the works (distinct years per work, so there are repeat sales): log price =
    /// 8 + artist level + cluster level + a market index (drift and a 9-year cycle) + a per-work premium + noise.
    /// </summary>
    private static async Task CopySalesAsync(NpgsqlDataSource bench, RecommendationsBench.Catalogue catalogue, int works, int sales, CancellationToken ct)
    {
        var random = new Random(17);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var index = Enumerable.Range(0, Years).Select(t => (0.03 * t) + (0.25 * Math.Sin(2 * Math.PI * t / 9.0))).ToArray();
        var artistLevel = Enumerable.Range(0, catalogue.ArtistOf.Max() + 1).Select(_ => 0.8 * Normal()).ToArray();
        var clusterLevel = Enumerable.Range(0, catalogue.Styles.Clusters).Select(_ => 0.3 * Normal()).ToArray();
        var workLevel = Enumerable.Range(0, works + 1).Select(_ => 0.35 * Normal()).ToArray();
        var now = DateTimeOffset.UtcNow;
        await using var connection = await bench.OpenConnectionAsync(ct);
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("sales", maxValue: sales);
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY \"Sales\" (\"ArtworkId\", \"SaleDate\", \"Venue\", \"VenueKind\", \"Lot\", \"Price\", \"Currency\", \"BoughtIn\", \"PremiumIncluded\", \"IsGenerated\", \"NaturalKey\", \"CreatedAt\") FROM STDIN (FORMAT BINARY)", ct);
            for (var i = 0; i < sales; i++)
            {
                var work = 1 + (i % works);
                var ordinal = i / works;
                var year = (ordinal + (work % 7)) % Years;
                var date = new DateOnly(FirstYear + year, 1 + (work % 12), 1 + (ordinal % 28));
                var log = 8 + artistLevel[catalogue.ArtistOf[work]] + clusterLevel[catalogue.ClusterOf[work]] + index[year] + workLevel[work] + (0.2 * Normal());
                var lot = ordinal.ToString(CultureInfo.InvariantCulture);
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(work, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(date, NpgsqlDbType.Date, ct);
                await writer.WriteAsync("Bench House", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync("Auction", NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(lot, NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(Math.Round((decimal)Math.Exp(log), 2), NpgsqlDbType.Numeric, ct);
                await writer.WriteAsync(MarketCurrency.Base, NpgsqlDbType.Char, ct);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await writer.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await writer.WriteAsync(SalesCsv.NaturalKey(work, date, "Bench House", lot), NpgsqlDbType.Varchar, ct);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                if (i % 10_000 == 0)
                {
                    task.Value = i;
                }
            }

            await writer.CompleteAsync(ct);
            task.Value = sales;
        });
        await using var analyse = new NpgsqlCommand("ANALYZE \"Sales\"", connection);
        await analyse.ExecuteNonQueryAsync(ct);
    }

    private static string F(double value) => RecommendationsBench.F(value);

    private static Task ExecuteAsync(NpgsqlDataSource source, string sql, CancellationToken ct) => RecommendationsBench.ExecuteAsync(source, sql, ct);

    private static Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct) => RecommendationsBench.ExecuteAsync(connection, sql, ct);
}
