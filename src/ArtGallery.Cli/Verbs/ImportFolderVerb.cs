using System.CommandLine;
using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ArtGallery.Cli.Verbs;

internal static class ImportFolderVerb
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder of images; an optional labels.csv (path,style[,artist]) adds style tags and artists." };
        var noEmbed = new Option<bool>("--no-embed") { Description = "Do not embed the imported works now." };
        var command = new Command("import-folder", "Import a folder of images (idempotent by image hash) and print a per-file report.") { folder, noEmbed };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(folder)!;
            if (!path.Exists)
            {
                AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[red]no folder {path.FullName}[/]");
                return 2;
            }

            using var host = await CliHost.StartAsync(ct);
            var importer = host.Services.GetRequiredService<FolderImporter>();
            FolderImportResult? result = null;
            try
            {
                await AnsiConsole.Progress().Columns(ProgressColumns.Standard).StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("importing");
                    result = await importer.ImportAsync(path.FullName, new SynchronousProgress<(int Done, int Total)>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    }), ct);
                });
            }
            catch (FormatException ex)
            {
                // A malformed labels.csv: nothing was imported.
                AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            var problems = result!.Rows.Where(r => r.Outcome is IngestOutcome.Failed).ToList();
            if (problems.Count > 0)
            {
                var table = new Table().AddColumns("file", "outcome", "reason");
                foreach (var row in problems.Take(200))
                {
                    table.AddRow(Markup.Escape(row.Source), row.Outcome.ToString(), Markup.Escape(row.Reason ?? string.Empty));
                }

                AnsiConsole.Write(table);
            }

            AnsiConsole.MarkupLine($"import: imported={result.Count(IngestOutcome.Imported)} updated={result.Count(IngestOutcome.Updated)} skipped={result.Count(IngestOutcome.Skipped)} failed={result.Count(IngestOutcome.Failed)}");
            var embedded = parse.GetValue(noEmbed) ? 0 : await EmbedVerb.RunAsync(host.Services, ct);
            return problems.Count == 0 ? embedded : 1;
        });
        return command;
    }
}
