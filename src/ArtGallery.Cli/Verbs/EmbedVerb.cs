using ArtGallery.Core.Embeddings;

namespace ArtGallery.Cli.Verbs;

internal static class EmbedVerb
{
    public static Command Create() =>
        CliHost.Verb("embed", "Embed every work that lacks an embedding from the current encoder (resumable), and bring the words and palette search indexes up to date.", RunAsync);

    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var indexed = await services.GetRequiredService<ArtGallery.Core.Search.SearchIndexer>().IndexAsync(cancellationToken: ct);
        AnsiConsole.MarkupLine($"search index: texts={indexed.Texts} palettes={indexed.Palettes}");
        var pipeline = services.GetRequiredService<EmbeddingPipeline>();
        if (!pipeline.IsAvailable)
        {
            AnsiConsole.MarkupLine("[red]the style encoder is unavailable (see the log line above)[/]");
            return 1;
        }

        var missing = await pipeline.CountMissingAsync(ct);
        if (missing == 0)
        {
            AnsiConsole.MarkupLine("embed: every work is embedded with the current encoder");
            return 0;
        }

        EmbedRunResult? result = null;
        var started = TimeProvider.System.GetTimestamp();
        await AnsiConsole.Progress().Columns(ProgressColumns.Standard).StartAsync(async ctx =>
        {
            var task = ctx.AddTask("embedding", maxValue: missing);
            result = await pipeline.EmbedMissingAsync(new SynchronousProgress<EmbedProgress>(p => task.Value = p.Done + p.Failed), ct);
        });
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        foreach (var failure in result!.Failures.Take(20))
        {
            AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[yellow]not embedded:[/] {failure}");
        }

        AnsiConsole.MarkupLine($"embed: embedded={result.Embedded} failed={result.Failed} seconds={seconds:F1}");
        return result.Failed == 0 ? 0 : 1;
    }
}

internal static class ProgressColumns
{
    public static ProgressColumn[] Standard =>
        [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn()];
}
