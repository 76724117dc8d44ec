using ArtGallery.Data;
using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace ArtGallery.Core.Jobs;

public sealed record JobView(long Id, string Kind, JobState State, int Done, int Total, string? Message, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)
{
    public double Fraction => Total <= 0 ? 0 : Math.Clamp((double)Done / Total, 0, 1);
}

/// <summary>The durable job table: start or resume, report progress, finish.</summary>
public sealed class JobStore(IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider clock)
{
    private static readonly string Owner = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Resumes the unfinished job with this dedup key (a crash left it Running) or starts a new one.
    /// </summary>
    public async Task<long> StartOrResumeAsync(string kind, string dedupKey, int total, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var job = await db.Jobs.FirstOrDefaultAsync(j => j.DedupKey == dedupKey && (j.State == JobState.Queued || j.State == JobState.Running), cancellationToken);
            if (job is null)
            {
                job = new Job { Kind = kind, DedupKey = dedupKey, CreatedAt = now };
                db.Jobs.Add(job);
            }

            job.State = JobState.Running;
            job.Owner = Owner;
            job.Attempts++;
            job.StartedAt ??= now;
            job.HeartbeatAt = now;
            job.Total = job.Done + total;
            job.Message = job.Attempts > 1 ? $"resumed (attempt {job.Attempts})" : "started";
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return job.Id;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another process started or resumed the same job at the same moment: look again.
            }
        }
    }

    public async Task ReportAsync(long jobId, int done, int total, string? message = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Done, done)
            .SetProperty(j => j.Total, total)
            .SetProperty(j => j.Message, j => message ?? j.Message)
            .SetProperty(j => j.HeartbeatAt, now), cancellationToken);
    }

    public async Task FinishAsync(long jobId, JobState state, string? message = null, string? error = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, state)
            .SetProperty(j => j.Message, j => message ?? j.Message)
            .SetProperty(j => j.Error, error)
            .SetProperty(j => j.FinishedAt, now)
            .SetProperty(j => j.HeartbeatAt, now), cancellationToken);
    }

    /// <summary>The newest job of a kind that is running, or finished in the last minute (for progress bars).</summary>
    public async Task<JobView?> CurrentAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var recent = clock.GetUtcNow().AddMinutes(-1);
        return await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == kind && (j.State == JobState.Running || j.State == JobState.Queued || j.FinishedAt > recent))
            .OrderByDescending(j => j.Id)
            .Select(j => new JobView(j.Id, j.Kind, j.State, j.Done, j.Total, j.Message, j.Error, j.CreatedAt, j.FinishedAt))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
