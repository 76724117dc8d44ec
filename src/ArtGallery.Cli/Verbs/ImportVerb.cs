using ArtGallery.Core.Accounts;
using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.Cli.Verbs;

/// <summary><c>import PATH</c>: a folder with a CSV sidecar, a ZIP, a WikiArt folder or a IIIF manifest, resumable.</summary>
internal static class ImportVerb
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "Folder, .csv sidecar, .zip or IIIF manifest (.json)." };
        var format = new Option<ImportFormat>("--format") { Description = "auto (default), csv, zip, wikiart, iiif or folder.", DefaultValueFactory = _ => ImportFormat.Auto };
        var map = new Option<string[]>("--map") { Description = "COLUMN=FIELD, repeatable: map a CSV column or IIIF label to title, artist, year, medium, dimensions, description, tags, style, credit, licence, file or ignore.", AllowMultipleArgumentsPerToken = true };
        var report = new Option<FileInfo?>("--report") { Description = "Write the per-row report to this CSV file." };
        var noEmbed = new Option<bool>("--no-embed") { Description = "Do not embed the imported works now." };
        var command = new Command("import", "Bulk import, idempotent by image hash and resumable: run it again after a crash and it continues where it stopped.")
        {
            path, format, map, report, noEmbed,
        };
        command.SetAction(async (parse, ct) =>
        {
            Dictionary<string, string> mapping;
            try
            {
                mapping = ParseMapping(parse.GetValue(map) ?? []);
            }
            catch (ArgumentException ex)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            var request = new ImportRequest(parse.GetValue(path)!, parse.GetValue(format)) { Mapping = mapping };
            return await RunAsync(request, parse.GetValue(report), parse.GetValue(noEmbed), ct);
        });
        return command;
    }

    /// <summary>
    /// <c>import-folder DIR</c>: kept for the scripts that call it; the same durable, resumable import
    /// as <c>import DIR --format folder</c>, with the same report, summary and exit codes.
    /// </summary>
    public static Command CreateFolderAlias()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of images; an optional labels.csv (path,style[,artist]) adds style tags and artists." };
        var report = new Option<FileInfo?>("--report") { Description = "Write the per-row report to this CSV file." };
        var noEmbed = new Option<bool>("--no-embed") { Description = "Do not embed the imported works now." };
        var command = new Command("import-folder", "Same as: import FOLDER --format folder (idempotent by image hash, resumable).") { folder, report, noEmbed };
        command.SetAction((parse, ct) => RunAsync(new ImportRequest(parse.GetValue(folder)!, ImportFormat.Folder), parse.GetValue(report), parse.GetValue(noEmbed), ct));
        return command;
    }

    private static async Task<int> RunAsync(ImportRequest request, FileInfo? reportFile, bool noEmbed, CancellationToken ct)
    {
        using var host = await CliHost.StartAsync(ct);
        var imports = host.Services.GetRequiredService<BulkImportService>();
        ImportReport? result = null;
        try
        {
            await AnsiConsole.Progress().Columns(ProgressColumns.Standard).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("importing");
                result = await imports.ImportAsync(GalleryAccess.Operator, request, new SynchronousProgress<ImportProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                }), ct);
            });
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or FormatException)
        {
            // Nothing was imported: no such path, a bad layout or a malformed labels.csv.
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
            return 2;
        }

        Print(result!);
        if (reportFile is not null)
        {
            await using var writer = new StreamWriter(reportFile.FullName);
            await ImportReportCsv.WriteAsync(result!, writer);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"report: {reportFile.FullName}");
        }

        var embedded = noEmbed || result!.Count(IngestOutcome.Imported) == 0 ? 0 : await EmbedVerb.RunAsync(host.Services, ct);
        return result!.Count(IngestOutcome.Failed) > 0 ? 1 : embedded;
    }

    public static Dictionary<string, string> ParseMapping(IEnumerable<string> pairs)
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.LastIndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new ArgumentException($"--map {pair}: expected COLUMN=FIELD, e.g. --map Objekt=title.");
            }

            mapping[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        _ = new ColumnMapping(mapping);
        return mapping;
    }

    private static void Print(ImportReport report)
    {
        var rows = new Table().Title($"import job {report.JobId}: per-row report").AddColumns("row", "source", "outcome", "artwork", "reason");
        foreach (var row in report.Rows)
        {
            var colour = row.Outcome switch
            {
                IngestOutcome.Imported => "green",
                IngestOutcome.Updated => "blue",
                IngestOutcome.Skipped => "grey",
                _ => "red",
            };
            rows.AddRow(
                (row.Index + 1).ToString(CultureInfo.InvariantCulture),
                Markup.Escape(row.Source),
                $"[{colour}]{row.Outcome.ToString().ToLowerInvariant()}[/]",
                row.ArtworkId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                Markup.Escape(row.Reason ?? string.Empty));
        }

        AnsiConsole.Write(rows);
        var summary = new Table().Title("summary").AddColumns("imported", "updated", "skipped", "failed", "rows");
        summary.AddRow(
            report.Count(IngestOutcome.Imported).ToString(CultureInfo.InvariantCulture),
            report.Count(IngestOutcome.Updated).ToString(CultureInfo.InvariantCulture),
            report.Count(IngestOutcome.Skipped).ToString(CultureInfo.InvariantCulture),
            report.Count(IngestOutcome.Failed).ToString(CultureInfo.InvariantCulture),
            report.Rows.Count.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(summary);

        // One plain line for scripts and tests.
        Console.WriteLine($"import: job={report.JobId} imported={report.Count(IngestOutcome.Imported)} updated={report.Count(IngestOutcome.Updated)} skipped={report.Count(IngestOutcome.Skipped)} failed={report.Count(IngestOutcome.Failed)} rows={report.Rows.Count}");
    }
}
