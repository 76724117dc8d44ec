using System.Collections.Concurrent;
using System.Text.Json;
using ArtGallery.Core.Jobs;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Imaging;
using ArtGallery.Engines.Studio.StyleTransfer;

namespace ArtGallery.Core.Studio.StyleTransfer;

/// <summary>One style of a render: a gallery work or an uploaded image (by its hash in the store).</summary>
public sealed record StyleChoice(int? ArtworkId, string? ImageSha256, float Weight);

/// <summary>The job payload (JSON in Jobs.Payload).</summary>
public sealed record TransferJobPayload(string PhotoSha256, IReadOnlyList<StyleChoice> Styles, int Size, int Steps, float Strength, float ContentWeight, bool KeepColours, int Seed);

public sealed record TransferJobStatus(long Id, JobState State, int Done, int Total, string? Message, string? Error, long? CreationId, int? SourceArtworkId, byte[]? Preview,
    TransferJobPayload? Payload = null)
{
    public bool Finished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}

/// <summary>
/// Style-transfer renders as durable jobs: queued by a visitor (bounded per owner), run by
/// <see cref="StyleTransferWorker"/>, cancellable, with progress in the job table and the latest
/// preview in memory, so a reloaded page finds both again.
/// </summary>
public sealed class StyleTransferJobs(
    IDbContextFactory<GalleryDbContext> contextFactory,
    ImageStore store,
    ImageDecoder decoder,
    StyleTransferEngine engine,
    JobStore jobStore,
    StudioSignal signal,
    IOptions<StudioOptions> options,
    TimeProvider clock)
{
    public const string Kind = "style-transfer";
    public const string CreationMessagePrefix = "creation:";

    private readonly ConcurrentDictionary<long, byte[]> _previews = new();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();

    public StudioOptions Options => options.Value;

    public bool IsAvailable => engine.IsAvailable;

    public string? UnavailableReason => engine.UnavailableReason;

    public string Provider => engine.Provider;

    /// <summary>Stores an uploaded image (photo or style) after checking it decodes; returns its hash.</summary>
    public async Task<string> StoreUploadAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length > options.Value.MaxUploadBytes)
        {
            throw new StudioRequestException($"The image is {data.Length / 1048576.0:0.0} MiB; the limit is {options.Value.MaxUploadBytes / 1048576.0:0.0} MiB.");
        }

        try
        {
            using var image = decoder.Decode(data);
        }
        catch (ImageRejectedException ex)
        {
            throw new StudioRequestException(ex.Message, ex);
        }

        var sha = ImageStore.Sha256Hex(data);
        await store.PutOriginalAsync(sha, data, cancellationToken);
        return sha;
    }

    public async Task<long> EnqueueAsync(string ownerId, TransferJobPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        ArgumentNullException.ThrowIfNull(payload);
        if (!engine.IsAvailable)
        {
            throw new StudioRequestException($"The studio is unavailable right now: {engine.UnavailableReason}");
        }

        var settings = ToSettings(payload);
        if (settings.Problem() is { } problem)
        {
            throw new StudioRequestException(problem);
        }

        if (payload.Styles.Count is < 1 or > 3 || payload.Styles.Any(s => (s.ArtworkId is null) == (s.ImageSha256 is null) || s.Weight < 0 || !float.IsFinite(s.Weight))
            || payload.Styles.Sum(s => s.Weight) <= 0)
        {
            throw new StudioRequestException("Choose one to three styles, each a gallery work or an uploaded image, with non-negative weights that are not all zero.");
        }

        if (!store.HasOriginal(payload.PhotoSha256) || payload.Styles.Any(s => s.ImageSha256 is { } sha && !store.HasOriginal(sha)))
        {
            throw new StudioRequestException("Upload the photo (and any style image) first.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ids = payload.Styles.Where(s => s.ArtworkId is not null).Select(s => s.ArtworkId!.Value).ToList();
        if (await db.Artworks.CountAsync(a => ids.Contains(a.Id), cancellationToken) != ids.Distinct().Count())
        {
            throw new StudioRequestException("One of the chosen works does not exist.");
        }

        var unfinished = await db.Jobs.CountAsync(j => j.Kind == Kind && j.RequestedBy == ownerId && (j.State == JobState.Queued || j.State == JobState.Running), cancellationToken);
        if (unfinished >= options.Value.MaxUnfinishedPerOwner)
        {
            throw new StudioRequestException($"You already have {unfinished} paintings in progress; wait for one to finish or cancel it.");
        }

        var jobId = await jobStore.EnqueueAsync(new NewJob(Kind, JsonSerializer.Serialize(payload), ownerId, "queued", Total: payload.Steps), cancellationToken);

        // Painting with a gallery work as the style is a taste signal for the owner's "For you" feed
        // (owners are visitor keys: the account, or the visitor cookie).
        var at = clock.GetUtcNow();
        foreach (var id in ids.Distinct())
        {
            db.Engagements.Add(new EngagementEvent { VisitorKey = ownerId, Kind = EngagementKind.StudioStyle, ArtworkId = id, At = at });
        }

        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return jobId;
    }

    /// <summary>Cancels a queued or running job of this owner; false if there is none.</summary>
    public async Task<bool> CancelAsync(string ownerId, long jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var queued = await db.Jobs.Where(j => j.Id == jobId && j.Kind == Kind && j.RequestedBy == ownerId && j.State == JobState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Cancelled).SetProperty(j => j.Message, "cancelled").SetProperty(j => j.FinishedAt, now), cancellationToken);
        if (queued > 0)
        {
            return true;
        }

        var mine = await db.Jobs.AnyAsync(j => j.Id == jobId && j.Kind == Kind && j.RequestedBy == ownerId && j.State == JobState.Running, cancellationToken);
        if (mine && _running.TryGetValue(jobId, out var cts))
        {
            await cts.CancelAsync();
            return true;
        }

        return false;
    }

    public async Task<TransferJobStatus?> StatusAsync(string ownerId, long jobId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId && j.Kind == Kind && j.RequestedBy == ownerId, cancellationToken);
        return job is null ? null : ToStatus(job);
    }

    /// <summary>This owner's unfinished jobs and those finished in the last hour, newest first.</summary>
    public async Task<IReadOnlyList<TransferJobStatus>> RecentAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var since = clock.GetUtcNow().AddHours(-1);
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == Kind && j.RequestedBy == ownerId && (j.State == JobState.Queued || j.State == JobState.Running || j.FinishedAt > since))
            .OrderByDescending(j => j.Id).Take(10).ToListAsync(cancellationToken);
        return [.. jobs.Select(ToStatus)];
    }

    /// <summary>
    /// A creation's name after the works it was painted like ("My photo in the style of “A” and “B”"), with
    /// "an image of my own" for uploaded styles; never a bare work id.
    /// </summary>
    public static string CreationTitle(IReadOnlyList<string?> styleWorkTitles)
    {
        ArgumentNullException.ThrowIfNull(styleWorkTitles);
        var names = styleWorkTitles.Select(t => t is null ? "an image of my own" : $"“{(t.Length > 80 ? t[..79] + "…" : t)}”").Distinct(StringComparer.Ordinal).ToList();
        return names.Count switch
        {
            0 => "My photo, repainted",
            1 => $"My photo in the style of {names[0]}",
            _ => $"My photo in the style of {string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}",
        };
    }

    public static TransferSettings ToSettings(TransferJobPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return new TransferSettings
        {
            Size = payload.Size,
            Steps = payload.Steps,
            Strength = payload.Strength,
            ContentWeight = payload.ContentWeight,
            KeepColours = payload.KeepColours,
            Seed = payload.Seed,
        };
    }

    internal void SetPreview(long jobId, byte[] jpeg) => _previews[jobId] = jpeg;

    internal CancellationTokenSource Track(long jobId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[jobId] = cts;
        return cts;
    }

    internal void Untrack(long jobId)
    {
        if (_running.TryRemove(jobId, out var cts))
        {
            cts.Dispose();
        }
    }

    private TransferJobStatus ToStatus(Job job)
    {
        long? creation = job.State == JobState.Succeeded && job.Message is { } m && m.StartsWith(CreationMessagePrefix, StringComparison.Ordinal)
            && long.TryParse(m.AsSpan(CreationMessagePrefix.Length), out var id) ? id : null;
        var payload = job.Payload is { } p ? JsonSerializer.Deserialize<TransferJobPayload>(p) : null;
        var source = payload?.Styles.FirstOrDefault(s => s.ArtworkId is not null)?.ArtworkId;

        // The payload goes with the status: a reloaded studio page shows the settings the job runs with.
        return new TransferJobStatus(job.Id, job.State, job.Done, job.Total, job.Message, job.Error, creation, source, _previews.GetValueOrDefault(job.Id), payload);
    }
}
