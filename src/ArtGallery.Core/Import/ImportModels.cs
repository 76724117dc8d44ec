using ArtGallery.Core.Ingestion;

namespace ArtGallery.Core.Import;

/// <summary>The layouts a bulk import understands; Auto looks at the path (see <see cref="ImportPlanner"/>).</summary>
public enum ImportFormat
{
    Auto,
    Csv,
    Zip,
    WikiArt,
    Iiif,

    /// <summary>Images only: titles from file names.</summary>
    Folder,
}

/// <summary>What to import: a folder, a CSV sidecar, a ZIP or a IIIF manifest, and optional column overrides.</summary>
public sealed record ImportRequest(string Path, ImportFormat Format = ImportFormat.Auto)
{
    /// <summary>Column (or IIIF metadata label) → field name (title, artist, …, or "ignore"); overrides the built-in names.</summary>
    public IReadOnlyDictionary<string, string> Mapping { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// One row of an import plan: either an image to ingest with its metadata, or an outcome decided
/// while planning (a malformed row, a missing file, a refused ZIP entry).
/// </summary>
public sealed record PlannedRow(string Source)
{
    /// <summary>Absolute path of the image to ingest; null when the row is already decided.</summary>
    public string? File { get; init; }

    public ArtworkMetadata? Metadata { get; init; }

    /// <summary>Set when the row is decided while planning (Failed or Skipped) with <see cref="Reason"/>.</summary>
    public IngestOutcome? Decided { get; init; }

    public string? Reason { get; init; }

    public static PlannedRow Fail(string source, string reason) => new(source) { Decided = IngestOutcome.Failed, Reason = reason };

    public static PlannedRow Skip(string source, string reason) => new(source) { Decided = IngestOutcome.Skipped, Reason = reason };
}

/// <summary>An import resolved to rows, in a stable order: the same input plans the same rows.</summary>
public sealed record ImportPlan(ImportFormat Format, string Root, IReadOnlyList<PlannedRow> Rows);

public sealed record ImportReportRow(int Index, string Source, IngestOutcome Outcome, int? ArtworkId, string? Reason);

public sealed record ImportReport(long JobId, IReadOnlyList<ImportReportRow> Rows)
{
    public int Count(IngestOutcome outcome) => Rows.Count(r => r.Outcome == outcome);
}

public sealed record ImportProgress(long JobId, int Done, int Total);

/// <summary>Limits for bulk imports (configuration section Import).</summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Most entries a ZIP may hold.</summary>
    public int MaxZipEntries { get; set; } = 20_000;

    /// <summary>Most bytes a ZIP may unpack to, counted while unpacking (declared sizes can lie).</summary>
    public long MaxZipBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Largest single entry, in bytes (an image larger than the image limit is refused anyway).</summary>
    public long MaxEntryBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Deepest folder nesting inside a ZIP.</summary>
    public int MaxZipDepth { get; set; } = 16;

    /// <summary>Largest CSV sidecar or IIIF manifest read, in bytes.</summary>
    public long MaxSidecarBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Where ZIPs are unpacked and uploads kept; default: "imports" under the image store's folder.</summary>
    public string? StagingDirectory { get; set; }

    /// <summary>How long a staged upload or unpacked ZIP that no unfinished import needs is kept (<see cref="ImportStagingSweeper"/>).</summary>
    public int StagingLifetimeHours { get; set; } = 7 * 24;

    /// <summary>How often the staging folder is swept.</summary>
    public int StagingSweepMinutes { get; set; } = 60;
}

public static class ImportReportCsv
{
    /// <summary>The per-row report as CSV: row,source,outcome,artwork_id,reason.</summary>
    public static async Task WriteAsync(ImportReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteAsync("row,source,outcome,artwork_id,reason\r\n");
        foreach (var row in report.Rows)
        {
            await writer.WriteAsync(CsvText.Line(
            [
                (row.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), row.Source, row.Outcome.ToString().ToLowerInvariant(),
                row.ArtworkId?.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Reason,
            ]) + "\r\n");
        }
    }
}
