using ArtGallery.Core.Search;
using ArtGallery.Data;
using ArtGallery.Engines.Demo;
using Microsoft.EntityFrameworkCore;

namespace ArtGallery.Evaluation.Verbs;

/// <summary><c>eval text-search</c>: paraphrased queries on the demo collection, NDCG@10 of full text, vectors and their fusion.</summary>
internal static class TextSearchEval
{
    public static Command Create(HostStarter cli)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Also print each query's top three under the fusion." };
        var command = new Command("text-search", "Search by words on the demo collection: paraphrased queries, relevance from the generator's own metadata; NDCG@10 for full text, vectors and the fusion.") { verbose };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await cli.StartAsync(ct);
            var indexer = host.Services.GetRequiredService<SearchIndexer>();
            if (!indexer.IsAvailable)
            {
                AnsiConsole.MarkupLine("[red]the text encoder is unavailable (see the log line above)[/]");
                return 1;
            }

            var indexed = await indexer.IndexAsync(cancellationToken: ct);
            var contexts = host.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
            Dictionary<int, (DemoSubject Subject, string Title)> demo;
            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                var sources = await db.Artworks.AsNoTracking().Select(a => new { a.Id, a.Source }).ToListAsync(ct);
                var parsed = sources.Select(s => (s.Id, Demo: TextSearchEvaluation.ParseDemoSource(s.Source))).Where(s => s.Demo is not null).ToList();
                if (parsed.Count < 60)
                {
                    AnsiConsole.MarkupLine("[red]eval text-search needs the demo collection: run ./run.sh (seeds it) or `cli seed-demo` first[/]");
                    return 1;
                }

                var plans = parsed.GroupBy(p => p.Demo!.Value.Seed)
                    .ToDictionary(g => g.Key, g => DemoCatalogue.Plan(g.Max(p => p.Demo!.Value.Index) + 1, g.Key));
                demo = parsed.ToDictionary(p => p.Id, p =>
                {
                    var work = plans[p.Demo!.Value.Seed][p.Demo.Value.Index];
                    return (work.Subject, work.Title);
                });
            }

            Console.WriteLine($"collection: demo works={demo.Count}; text index: embedded now={indexed.Texts}; queries={TextSearchEvaluation.Queries.Count}");
            var search = host.Services.GetRequiredService<WordSearchService>();
            var totals = new Dictionary<WordSearchMode, double>();
            var table = new Table().AddColumns("query", "fts", "vector", "fusion");
            foreach (var query in TextSearchEvaluation.Queries)
            {
                var gains = demo.ToDictionary(d => d.Key, d => query.Gain(d.Value.Subject, d.Value.Title));
                var row = new List<string> { query.Text };
                foreach (var mode in new[] { WordSearchMode.FullText, WordSearchMode.Vector, WordSearchMode.Fusion })
                {
                    var results = await search.SearchAsync(query.Text, 10, mode, ct);
                    var ndcg = TextSearchEvaluation.Ndcg([.. results.Items.Select(i => i.Card.Id)], gains);
                    totals[mode] = totals.GetValueOrDefault(mode) + ndcg;
                    row.Add(F(ndcg));
                    if (mode == WordSearchMode.Fusion && parse.GetValue(verbose))
                    {
                        foreach (var item in results.Items.Take(3))
                        {
                            Console.WriteLine($"  {query.Text} -> {item.Card.Title} [{string.Join("; ", item.Reasons)}]");
                        }
                    }
                }

                table.AddRow([.. row.Select(Markup.Escape)]);
            }

            AnsiConsole.Write(table);
            var n = TextSearchEvaluation.Queries.Count;
            Console.WriteLine($"ndcg10={F(totals[WordSearchMode.Fusion] / n)} fts_ndcg10={F(totals[WordSearchMode.FullText] / n)} vector_ndcg10={F(totals[WordSearchMode.Vector] / n)}");
            return 0;
        });
        return command;
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
