namespace ArtGallery.Core.Jobs;

public sealed record JobView(long Id, string Kind, JobState State, int Done, int Total, string? Message, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)
{
    public double Fraction => Total <= 0 ? 0 : Math.Clamp((double)Done / Total, 0, 1);
}

/// <summary>A queued or running job: what it runs on (null for an operator's command) and its last sign of life (heartbeat, else queueing).</summary>
public sealed record UnfinishedJob(long Id, string? Payload, DateTimeOffset LastSign);

/// <summary>A job to queue for a worker: its kind, what it runs on (JSON), and who asked.</summary>
/// <param name="DedupKey">While a job with this key is unfinished, queueing another returns that one.</param>
public sealed record NewJob(string Kind, string Payload, string? RequestedBy, string Message, string? DedupKey = null, int Total = 0);

/// <summary>
/// The durable job table, the one way long work is queued, claimed and reported: a caller queues
/// (<see cref="EnqueueAsync"/>), a <see cref="WorkerLoop"/> claims atomically (<see cref="TryClaimAsync"/>),
/// or an operator's command runs a job at once (<see cref="StartOrResumeAsync"/>); the runner
/// reports progress and finishes it.
/// </summary>
public sealed class JobStore(IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider clock)
{
    private static readonly string Owner = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Queues a job, or returns the unfinished one with the same <see cref="NewJob.DedupKey"/>.
    /// </summary>
    public async Task<long> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            if (job.DedupKey is { } key
                && await db.Jobs.Where(j => j.DedupKey == key && (j.State == JobState.Queued || j.State == JobState.Running))
                    .Select(j => (long?)j.Id).FirstOrDefaultAsync(cancellationToken) is { } existing)
            {
                return existing;
            }

            var row = new Job
            {
                Kind = job.Kind,
                DedupKey = job.DedupKey,
                State = JobState.Queued,
                Payload = job.Payload,
                Total = job.Total,
                Message = job.Message,
                RequestedBy = job.RequestedBy,
                CreatedAt = clock.GetUtcNow(),
            };
            db.Jobs.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return row.Id;
            }
            catch (DbUpdateException) when (job.DedupKey is not null && attempt < 3)
            {
                // The same job was queued at the same moment (the unique dedup index): look again.
            }
        }
    }

    /// <summary>
    /// Claims the oldest queued job of <paramref name="kind"/>, or one whose runner died (Running,
    /// no heartbeat for <paramref name="staleAfter"/>), in one statement: <c>FOR UPDATE SKIP LOCKED</c>
    /// lets any number of loops and processes claim side by side without taking the same job twice.
    /// <paramref name="restart"/> starts it over (progress to zero); otherwise it resumes.
    /// </summary>
    /// <returns>The claimed job (now Running, owned by this process), or null when none waits.</returns>
    public async Task<Job?> TryClaimAsync(string kind, TimeSpan staleAfter, bool restart = false, string? message = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var stale = now - staleAfter;
        var running = nameof(JobState.Running);
        var queued = nameof(JobState.Queued);
        var claimed = await db.Database.SqlQuery<long>($"""
            UPDATE "Jobs" SET "State" = {running}, "Owner" = {Owner}, "Attempts" = "Attempts" + 1, "HeartbeatAt" = {now},
                "StartedAt" = CASE WHEN {restart} THEN {now} ELSE COALESCE("StartedAt", {now}) END,
                "Done" = CASE WHEN {restart} THEN 0 ELSE "Done" END,
                "Message" = COALESCE({message}, "Message")
            WHERE "Id" = (
                SELECT "Id" FROM "Jobs"
                WHERE "Kind" = {kind} AND "Payload" IS NOT NULL AND ("State" = {queued} OR ("State" = {running} AND "HeartbeatAt" < {stale}))
                ORDER BY "Id" LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id" AS "Value"
            """).ToListAsync(cancellationToken);
        return claimed.Count == 0 ? null : await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == claimed[0], cancellationToken);
    }

    /// <summary>
    /// Resumes the unfinished job with this dedup key (a crash left it Running, or a worker of this
    /// process just claimed it) or starts a new one, to run now in this process.
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

            // A job this process claimed (TryClaimAsync) counted its attempt then.
            if (job.State != JobState.Running || job.Owner != Owner)
            {
                job.Attempts++;
            }

            job.State = JobState.Running;
            job.Owner = Owner;
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

    /// <summary>The queued and running jobs of a kind: what a sweeper must not delete from under them.</summary>
    public async Task<IReadOnlyList<UnfinishedJob>> UnfinishedAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == kind && (j.State == JobState.Queued || j.State == JobState.Running))
            .Select(j => new UnfinishedJob(j.Id, j.Payload, j.HeartbeatAt ?? j.CreatedAt))
            .ToListAsync(cancellationToken);
    }
}
