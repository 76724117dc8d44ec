namespace ArtGallery.Core.Studio.StyleTransfer;

public sealed class StudioOptions
{
    public const string Section = "Studio";

    /// <summary>Renders running at once (each uses every core, or the GPU).</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>Unfinished renders one owner may have queued or running.</summary>
    public int MaxUnfinishedPerOwner { get; set; } = 2;

    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long an upload no creation or unfinished render uses is kept.</summary>
    public int UploadLifetimeHours { get; set; } = 24;

    /// <summary>How often expired uploads are looked for.</summary>
    public int UploadSweepMinutes { get; set; } = 60;

    /// <summary>A live preview every this many steps.</summary>
    public int PreviewEvery { get; set; } = 10;
}
