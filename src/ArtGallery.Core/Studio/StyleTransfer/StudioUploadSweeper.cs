using System.Text.Json;
using ArtGallery.Core.Jobs;
using ArtGallery.Core.Storage;

namespace ArtGallery.Core.Studio.StyleTransfer;

/// <summary>
/// Studio uploads (photos and style images, anyone's, anonymous included) are originals in the image
/// store with no row of their own: 20 uploads stored 47 MB in 5 s and nothing ever removed them. An
/// original older than <see cref="StudioOptions.UploadLifetimeHours"/> that no work, creation or
/// unfinished studio job refers to is an unused upload, and is deleted with its derived images.
/// </summary>
public sealed class StudioUploadSweeper(
    IDbContextFactory<GalleryDbContext> contextFactory,
    ImageStore store,
    IOptions<StudioOptions> options,
    TimeProvider clock,
    ILogger<StudioUploadSweeper> logger)
    : SweeperLoop(clock, logger, "unused studio uploads past their lifetime", TimeSpan.FromMinutes(Math.Max(1, options.Value.UploadSweepMinutes)))
{
    /// <summary>Deletes unused uploads older than the lifetime; returns how many.</summary>
    public override async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var lifetime = TimeSpan.FromHours(Math.Max(1, options.Value.UploadLifetimeHours));
        var candidates = store.OriginalsWrittenBefore(Clock.GetUtcNow() - lifetime).ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in candidates.Chunk(1000))
        {
            used.UnionWith(await db.Artworks.Where(a => chunk.Contains(a.ImageSha256)).Select(a => a.ImageSha256).ToListAsync(cancellationToken));
            used.UnionWith(await db.Creations.Where(c => chunk.Contains(c.ImageSha256)).Select(c => c.ImageSha256).ToListAsync(cancellationToken));
        }

        // A queued or running render still needs its photo and style images, however old.
        var payloads = await db.Jobs.Where(j => j.Kind == StyleTransferJobs.Kind && (j.State == JobState.Queued || j.State == JobState.Running) && j.Payload != null)
            .Select(j => j.Payload!).ToListAsync(cancellationToken);
        foreach (var payload in payloads.Select(p => JsonSerializer.Deserialize<TransferJobPayload>(p)).OfType<TransferJobPayload>())
        {
            used.Add(payload.PhotoSha256);
            used.UnionWith(payload.Styles.Select(s => s.ImageSha256).OfType<string>());
        }

        var deleted = 0;
        foreach (var sha in candidates.Where(c => !used.Contains(c)))
        {
            try
            {
                store.DeleteImage(sha);
                deleted++;
            }
            catch (IOException ex)
            {
                DeleteFailed($"upload {sha}", ex);
            }
        }

        return deleted;
    }
}
