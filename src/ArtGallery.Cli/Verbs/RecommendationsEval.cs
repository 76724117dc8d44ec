using System.CommandLine;
using System.Globalization;
using ArtGallery.Core.Recommendations;
using ArtGallery.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ArtGallery.Cli.Verbs;

/// <summary><c>eval recs</c>: the feed against popularity, random and plain nearest-neighbour baselines on simulated visitors.</summary>
internal static class RecommendationsEval
{
    public static Command Create()
    {
        var visitors = new Option<int>("--visitors") { DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("recs", "Simulated visitors with hidden tastes over the collection in the database: NDCG@10, HR@10, diversity and coverage per recommender.") { visitors, seed };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await CliHost.StartAsync(ct);
            var catalogue = await RecommendationCatalogue.LoadAsync(host.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>(), ct);
            if (catalogue.Select(w => w.Style).Distinct().Count(s => s is not null) < 4)
            {
                AnsiConsole.MarkupLine("[red]eval recs needs embedded works with at least four style tags: run ./run.sh (seeds the demo collection) or `cli seed-demo` and `cli embed` first[/]");
                return 1;
            }

            var scores = RecommendationEvaluation.Run(catalogue, new SimulationOptions { Visitors = parse.GetValue(visitors), Seed = parse.GetValue(seed) });
            var table = new Table().AddColumns("recommender", "NDCG@10", "HR@10 (last like)", "diversity", "coverage");
            foreach (var s in scores)
            {
                table.AddRow(s.Name, F(s.Ndcg10), F(s.HitRate10), F(s.Diversity), F(s.Coverage));
            }

            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"catalogue: works={catalogue.Count} styles={catalogue.Select(w => w.Style).Distinct().Count(s => s is not null)}; visitors={parse.GetValue(visitors)}"));
            AnsiConsole.Write(table);
            var (mine, pop, knn) = (scores.Single(s => s.Name == "for you"), scores.Single(s => s.Name == "popularity"), scores.Single(s => s.Name == "nearest neighbours"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ndcg10={F(mine.Ndcg10)} pop_ndcg10={F(pop.Ndcg10)} knn_ndcg10={F(knn.Ndcg10)} diversity={F(mine.Diversity)} knn_diversity={F(knn.Diversity)} coverage={F(mine.Coverage)}"));
            return 0;
        });
        return command;
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
