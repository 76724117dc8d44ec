using ArtGallery.Core.Accounts;
using ArtGallery.Core.Demo;
using ArtGallery.Evaluation;
using ArtGallery.Core.Embeddings;

namespace ArtGallery.Cli.Verbs;

internal static class SeedDemoVerb
{
    public static Command Create()
    {
        var count = new DemoCountOption();
        var seed = new Option<int>("--seed") { Description = "Seed of the generator (same seed, same collection).", DefaultValueFactory = _ => 42 };
        var noEmbed = new Option<bool>("--no-embed") { Description = "Leave embedding to the web app's background worker." };
        var command = new Command("seed-demo", "Paint and import the generated demo collection (idempotent), embed it, and give it a generated sales history.") { count, seed, noEmbed };
        command.SetAction(async (parse, ct) =>
        {
            if (!count.TryGet(parse, out var n))
            {
                return 2;
            }

            using var host = await CliHost.StartAsync(ct);
            var seeder = host.Services.GetRequiredService<DemoSeeder>();
            DemoSeedResult? result = null;
            await AnsiConsole.Progress().Columns(ProgressColumns.Standard).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("painting and importing", maxValue: n);
                result = await seeder.SeedAsync(n, parse.GetValue(seed), new SynchronousProgress<(int Done, int Total)>(p => task.Value = p.Done), ct);
            });
            AnsiConsole.MarkupLine($"demo: imported={result!.Imported} updated={result.Updated} skipped={result.Skipped} failed={result.Failed} collections={result.Collections}");
            var rc = parse.GetValue(noEmbed) ? (result.Failed == 0 ? 0 : 1) : await EmbedVerb.RunAsync(host.Services, ct);

            // The demo works' GENERATED sales history (idempotent: a second run finds every sale recorded).
            var history = await MarketDemoHistory.SeedAsync(host.Services, GalleryAccess.Operator, parse.GetValue(seed), ct);
            AnsiConsole.MarkupLine($"demo market (generated): sales imported={history.Imported} already={history.AlreadyImported} rejected={history.Rejected}");
            return rc;
        });
        return command;
    }
}
