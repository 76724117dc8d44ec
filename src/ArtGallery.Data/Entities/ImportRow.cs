namespace ArtGallery.Data.Entities;

/// <summary>What became of one row (file, CSV line, IIIF canvas, ZIP entry) of a bulk import.</summary>
public enum ImportRowOutcome
{
    Imported,
    Updated,
    Skipped,
    Failed,
}

/// <summary>
/// The durable per-row state of an import job: a row with a record here is finished, so an import
/// restarted after a crash continues with the rows that have none, and the report survives reloads.
/// </summary>
public sealed class ImportRow
{
    public long JobId { get; set; }

    public Job? Job { get; set; }

    /// <summary>Position of the row in the import's plan (stable for the same input).</summary>
    public int Index { get; set; }

    /// <summary>Where the row came from: a relative path, "metadata.csv:12", a canvas id.</summary>
    public required string Source { get; set; }

    public ImportRowOutcome Outcome { get; set; }

    public int? ArtworkId { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
