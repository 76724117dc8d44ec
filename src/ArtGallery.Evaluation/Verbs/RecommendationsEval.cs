using ArtGallery.Core.Recommendations;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using ArtGallery.Evaluation.Recommendations;
using Microsoft.EntityFrameworkCore;

namespace ArtGallery.Evaluation.Verbs;

/// <summary><c>eval recs</c>: the feed against popularity, random and plain nearest-neighbour baselines on simulated visitors.</summary>
internal static class RecommendationsEval
{
    public static Command Create(HostStarter cli)
    {
        var visitors = new Option<int>("--visitors") { DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("recs", "Simulated visitors with hidden tastes over the collection in the database: NDCG@10, HR@10, diversity and coverage per recommender.") { visitors, seed };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await cli.StartAsync(ct);
            var catalogue = await RecommendationCatalogue.LoadAsync(host.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>(), ct);
            if (catalogue.Select(w => w.Style).Distinct().Count(s => s is not null) < 4)
            {
                AnsiConsole.MarkupLine("[red]eval recs needs embedded works with at least four style tags: run ./run.sh (seeds the demo collection) or `cli seed-demo` and `cli embed` first[/]");
                return 1;
            }

            var db = host.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
            EvaluationResult result;
            try
            {
                result = RecommendationEvaluation.Run(catalogue, new SimulationOptions { Visitors = parse.GetValue(visitors), Seed = parse.GetValue(seed) });
            }
            catch (ArgumentException ex)
            {
                // Too few works per style for a simulated taste: say so, as for a catalogue without styles.
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]eval recs: {ex.Message.Split(" (Parameter", 2)[0]} Seed more works (`cli seed-demo`) or tag more.[/]");
                return 1;
            }

            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"catalogue: works={catalogue.Count} styles={catalogue.Select(w => w.Style).Distinct().Count(s => s is not null)}; simulated visitors={parse.GetValue(visitors)}"));
            Print("simulated visitors, all", result.Overall);
            foreach (var segment in result.Segments)
            {
                Print($"simulated visitors: {segment.Segment}", segment.Scores);
            }

            var recorded = await RecordedEventsAsync(db, ct);
            var replay = RecommendationEvaluation.LeaveLastOut(catalogue, recorded);
            if (replay is null)
            {
                AnsiConsole.MarkupLine($"recorded events: {recorded.Count} visitors, none with three likes or saves yet: leave-last-out skipped");
            }
            else
            {
                Print("recorded events, leave-last-out (NDCG@10 and HR@10 of the held-out like)", replay.Overall);
            }

            var scores = result.Overall;
            var (mine, pop, knn) = (scores.Single(s => s.Name == RecommendationEvaluation.Mine), scores.Single(s => s.Name == RecommendationEvaluation.PopularityName),
                scores.Single(s => s.Name == RecommendationEvaluation.NearestName));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ndcg10={F(mine.Ndcg10)} pop_ndcg10={F(pop.Ndcg10)} knn_ndcg10={F(knn.Ndcg10)} diversity={F(mine.Diversity)} knn_diversity={F(knn.Diversity)} coverage={F(mine.Coverage)}"));
            return 0;
        });
        return command;
    }

    private static void Print(string title, IReadOnlyList<RecommenderScore> scores)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumns("recommender", "NDCG@10", "HR@10", "diversity", "coverage", "visitors");
        foreach (var s in scores)
        {
            table.AddRow(s.Name, F(s.Ndcg10), F(s.HitRate10), F(s.Diversity), F(s.Coverage), s.Visitors.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<Engagement>>> RecordedEventsAsync(IDbContextFactory<GalleryDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Engagements.AsNoTracking().Where(e => e.ArtworkId != null && e.Kind != EngagementKind.Follow && e.Kind != EngagementKind.Unfollow)
            .OrderBy(e => e.Id).Select(e => new { e.VisitorKey, ArtworkId = e.ArtworkId!.Value, e.Kind, e.At, e.DwellMs }).ToListAsync(ct);
        return rows.GroupBy(r => r.VisitorKey).ToDictionary(g => g.Key,
            g => (IReadOnlyList<Engagement>)[.. g.Select(r => new Engagement(r.ArtworkId, r.Kind, r.At, r.DwellMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null))]);
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
