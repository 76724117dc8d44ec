using ArtGallery.Core.Embeddings;
using ArtGallery.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// Benchmarks that compare two things measured side by side in one run, so a noisy shared machine
/// moves both sides alike and the ratio stays meaningful.
/// </summary>
internal static class BenchVerb
{
    public static Command Create(HostStarter cli) => new("bench", "Benchmarks; each ends with one line of key=value pairs.")
    {
        EmbedBench(cli),
        PagesBench(cli),
        KnnBench.Create(cli),
        RecommendationsBench.Create(cli),
        StudioBench.Create(cli),
        MelodyEval.Bench(cli),
        PoemEval.Bench(cli),
        TransferBench.Create(cli),
        StudioBench.GanCommand(cli),
        MarketBench.Create(cli),
        DecodeBench.Create(),
        SearchBench.Create(cli),
    };

    private static Command EmbedBench(HostStarter cli)
    {
        var count = new Option<int>("--count") { Description = "Works to embed per round.", DefaultValueFactory = _ => 192 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of each side.", DefaultValueFactory = _ => 5 };
        var command = new Command("embed", "Full embedding path with both views (read, decode, resize, the 224 crop's and the whole image's network passes, descriptors, database write) against the raw ONNX Runtime session doing the same passes on the same images.") { count, rounds };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await cli.StartAsync(ct);
            var services = host.Services;
            var pipeline = services.GetRequiredService<EmbeddingPipeline>();
            var encoder = services.GetRequiredService<StyleEncoder>();
            if (!encoder.IsAvailable)
            {
                AnsiConsole.MarkupLine("[red]the style encoder is unavailable[/]");
                return 1;
            }

            List<(int Id, string Sha)> works;
            await using (var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync(ct))
            {
                works = (await db.Artworks.OrderBy(a => a.Id).Take(parse.GetValue(count)).Select(a => new { a.Id, a.ImageSha256 }).ToListAsync(ct))
                    .Select(a => (a.Id, a.ImageSha256)).ToList();
            }

            if (works.Count == 0)
            {
                AnsiConsole.MarkupLine("[red]no works to embed: run seed-demo first[/]");
                return 1;
            }

            // The raw side gets its tensors ready-made: it measures ONNX Runtime alone, same batches, same
            // outputs, both views: the 224 crops as one batch, the whole images batched by size, as the pipeline runs them.
            var prepared = new List<(float[] Tensor, int Count, IReadOnlyList<(float[] Batch, int Count, int Height, int Width)> Wholes)>();
            foreach (var chunk in works.Chunk(EmbeddingPipeline.BatchSize))
            {
                var (_, tensor, n, wholes) = await pipeline.PrepareOnlyAsync(chunk, ct);
                prepared.Add((tensor, n, [.. StyleEncoder.WholeBatches(wholes).Select(b => (b.Batch, b.Indices.Count, b.Height, b.Width))]));
            }

            var rawImages = prepared.Sum(p => p.Count);
            // One untimed pass of each side: JIT tiering, ORT's arena and the page cache settle first.
            foreach (var (tensor, n, wholes) in prepared)
            {
                encoder.RunRaw(tensor, n);
                encoder.RunRawWhole(wholes);
            }

            await pipeline.EmbedAsync(works, ct);

            var raw = new List<double>();
            var full = new List<double>();
            for (var round = 0; round < parse.GetValue(rounds); round++)
            {
                async Task RawAsync()
                {
                    var sw = Stopwatch.StartNew();
                    foreach (var (tensor, n, wholes) in prepared)
                    {
                        encoder.RunRaw(tensor, n);
                        encoder.RunRawWhole(wholes);
                    }

                    raw.Add(rawImages / sw.Elapsed.TotalSeconds);
                    await Task.CompletedTask;
                }

                async Task FullAsync()
                {
                    var sw = Stopwatch.StartNew();
                    await pipeline.EmbedAsync(works, ct);
                    full.Add(works.Count / sw.Elapsed.TotalSeconds);
                }

                // Alternate which side goes first, so drift on the machine hits both.
                if (round % 2 == 0)
                {
                    await RawAsync();
                    await FullAsync();
                }
                else
                {
                    await FullAsync();
                    await RawAsync();
                }
            }

            var table = new Table().AddColumns("round", "full path (works/s)", "raw ONNX Runtime (images/s)");
            for (var i = 0; i < raw.Count; i++)
            {
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), full[i].ToString("F1", CultureInfo.InvariantCulture), raw[i].ToString("F1", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            var embedPerS = Timing.Median(full);
            var rawPerS = Timing.Median(raw);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"works={works.Count} batch={EmbeddingPipeline.BatchSize} provider={encoder.Provider} threads={Environment.ProcessorCount}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"embed_per_s={embedPerS:F1} raw_per_s={rawPerS:F1} ratio={embedPerS / rawPerS:F2}"));
            return 0;
        });
        return command;
    }

    private static Command PagesBench(HostStarter cli)
    {
        var url = new Option<string>("--url") { Description = "Base address of a running gallery.", DefaultValueFactory = _ => "http://localhost:5080" };
        var requests = new Option<int>("--requests") { Description = "Timed requests per page kind.", DefaultValueFactory = _ => 60 };
        var command = new Command("pages", "Server time to first byte of the home, browse and artwork pages (p50/p95).") { url, requests };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await cli.StartAsync(ct);
            int[] ids;
            await using (var db = await host.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync(ct))
            {
                ids = await db.Artworks.OrderBy(a => a.Id).Select(a => a.Id).ToArrayAsync(ct);
            }

            if (ids.Length == 0)
            {
                AnsiConsole.MarkupLine("[red]the gallery is empty: run seed-demo first[/]");
                return 1;
            }

            using var client = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!), Timeout = TimeSpan.FromSeconds(30) };
            var random = new Random(7);
            var n = parse.GetValue(requests);
            var pages = new (string Name, Func<string> Path)[]
            {
                ("home", () => "/"),
                ("browse", () => $"/browse?page={random.Next(1, 10)}"),
                ("artwork", () => $"/artworks/{ids[random.Next(ids.Length)]}"),
            };

            var results = new Dictionary<string, List<double>>();
            foreach (var (name, _) in pages)
            {
                results[name] = [];
            }

            // Warm-up, then interleave page kinds so they share the machine's conditions.
            foreach (var (_, path) in pages)
            {
                for (var i = 0; i < 3; i++)
                {
                    await TimeToFirstByteAsync(client, path(), ct);
                }
            }

            for (var i = 0; i < n; i++)
            {
                foreach (var (name, path) in pages)
                {
                    results[name].Add(await TimeToFirstByteAsync(client, path(), ct));
                }
            }

            var table = new Table().AddColumns("page", "p50 ms", "p95 ms", "requests");
            foreach (var (name, times) in results)
            {
                table.AddRow(name, Timing.Percentile(times, 50).ToString("F1", CultureInfo.InvariantCulture), Timing.Percentile(times, 95).ToString("F1", CultureInfo.InvariantCulture), times.Count.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            var worst = results.Values.Max(t => Timing.Percentile(t, 95));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"home_p50_ms={Timing.Percentile(results["home"], 50):F1} home_p95_ms={Timing.Percentile(results["home"], 95):F1} browse_p50_ms={Timing.Percentile(results["browse"], 50):F1} browse_p95_ms={Timing.Percentile(results["browse"], 95):F1} artwork_p50_ms={Timing.Percentile(results["artwork"], 50):F1} artwork_p95_ms={Timing.Percentile(results["artwork"], 95):F1} p95_ms={worst:F1}"));
            return 0;
        });
        return command;
    }

    private static async Task<double> TimeToFirstByteAsync(HttpClient client, string path, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var first = new byte[1];
        _ = await body.ReadAsync(first, ct);
        var elapsed = sw.Elapsed.TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return elapsed;
    }
}
