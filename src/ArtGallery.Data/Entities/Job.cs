namespace ArtGallery.Data.Entities;

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// Durable record of long work (embedding backfills, imports, studio renders): survives restarts,
/// so a crashed job is picked up again and the UI can show progress after a page reload.
/// </summary>
public sealed class Job
{
    public long Id { get; set; }

    /// <summary>What runs it, e.g. "embed", "import", "style-transfer".</summary>
    public required string Kind { get; set; }

    /// <summary>Unique while the job is unfinished, so enqueueing the same work twice is a no-op.</summary>
    public string? DedupKey { get; set; }

    public JobState State { get; set; }

    /// <summary>Kind-specific parameters, JSON.</summary>
    public string? Payload { get; set; }

    public int Done { get; set; }

    public int Total { get; set; }

    public string? Message { get; set; }

    public string? Error { get; set; }

    public int Attempts { get; set; }

    /// <summary>The process that runs it (host name and process id).</summary>
    public string? Owner { get; set; }

    /// <summary>The account or visitor that asked for it, when it matters (studio quotas).</summary>
    public string? RequestedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? HeartbeatAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public uint Version { get; set; }
}
