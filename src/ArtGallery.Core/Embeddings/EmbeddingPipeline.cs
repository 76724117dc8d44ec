using System.Threading.Channels;
using ArtGallery.Core.Infrastructure;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using Npgsql;
using Pgvector;

namespace ArtGallery.Core.Embeddings;

public sealed record EmbedProgress(int Done, int Total, int Failed);

public sealed record EmbedRunResult(int Embedded, int Failed, IReadOnlyList<string> Failures);

/// <summary>
/// Embeds works in batches: read and decode originals, prepare tensors, run the encoder, upsert the
/// vectors. Decoding of the next batch overlaps with inference on the current one. Stateless between
/// runs: "missing" is recomputed from the table, so an interrupted run resumes where it stopped and an
/// upsert keyed by artwork never duplicates.
/// </summary>
public sealed partial class EmbeddingPipeline(
    IDbContextFactory<GalleryDbContext> contextFactory,
    NpgsqlDataSource dataSource,
    ImageStore store,
    ImageDecoder decoder,
    StyleEncoder encoder,
    TimeProvider clock,
    ILogger<EmbeddingPipeline> logger)
{
    public const int BatchSize = 16;

    private sealed record PreparedBatch(int[] Ids, float[] Tensor, int Count, List<string> Failures);

    public bool IsAvailable => encoder.IsAvailable;

    public async Task<int> CountMissingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Missing(db).CountAsync(cancellationToken);
    }

    /// <summary>Embeds every work without a current embedding.</summary>
    public async Task<EmbedRunResult> EmbedMissingAsync(IProgress<EmbedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var total = await CountMissingAsync(cancellationToken);
        var done = 0;
        var failures = new List<string>();
        await RunAsync(MissingBatchesAsync(cancellationToken), batch =>
        {
            failures.AddRange(batch.Failures);
            done += batch.Count;
            progress?.Report(new EmbedProgress(done, total, failures.Count));
        }, cancellationToken);
        return new EmbedRunResult(done, failures.Count, failures);
    }

    /// <summary>The full path for given works (used by the benchmark): read, decode, prepare, encode, write.</summary>
    public Task EmbedAsync(IReadOnlyList<(int Id, string Sha)> works, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(works);
        return RunAsync(works.Chunk(BatchSize).ToAsyncEnumerable(), _ => { }, cancellationToken);
    }

    /// <summary>
    /// Prepares batch n+1 on the pool while batch n is encoded and batch n−1 is written: the three
    /// stages overlap, and a stop loses at most the batches in flight (they stay "missing").
    /// </summary>
    private async Task RunAsync(IAsyncEnumerable<(int Id, string Sha)[]> works, Action<PreparedBatch> onBatch, CancellationToken cancellationToken)
    {
        var batches = Channel.CreateBounded<PreparedBatch>(2);
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in works.WithCancellation(cancellationToken))
                {
                    await batches.Writer.WriteAsync(await PrepareAsync(chunk, cancellationToken), cancellationToken);
                }
            }
            finally
            {
                batches.Writer.Complete();
            }
        }, cancellationToken);

        var pendingWrite = Task.CompletedTask;
        await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
        {
            if (batch.Count > 0)
            {
                var encoded = encoder.Encode(batch.Tensor, batch.Count);
                await pendingWrite;
                pendingWrite = WriteAsync(batch.Ids, encoded, cancellationToken);
            }

            onBatch(batch);
        }

        await pendingWrite;
        await producer;
    }

    /// <summary>Keyset-paged batches of works that lack a current embedding.</summary>
    private async IAsyncEnumerable<(int Id, string Sha)[]> MissingBatchesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lastId = 0;
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var works = await Missing(db).Where(a => a.Id > lastId).OrderBy(a => a.Id).Take(BatchSize)
                .Select(a => new { a.Id, a.ImageSha256 }).ToListAsync(cancellationToken);
            if (works.Count == 0)
            {
                yield break;
            }

            lastId = works[^1].Id;
            yield return [.. works.Select(a => (a.Id, a.ImageSha256))];
        }
    }

    /// <summary>Reads and prepares a batch's tensors in parallel; unreadable works are reported, not fatal.</summary>
    public async Task<(int[] Ids, float[] Tensor, int Count)> PrepareOnlyAsync(IReadOnlyList<(int Id, string Sha)> works, CancellationToken cancellationToken = default)
    {
        var batch = await PrepareAsync(works, cancellationToken);
        return (batch.Ids, batch.Tensor, batch.Count);
    }

    private static IQueryable<Artwork> Missing(GalleryDbContext db) =>
        db.Artworks.Where(a => a.Embedding == null || a.Embedding.EncoderVersion != StyleEncoder.Version);

    private async Task<PreparedBatch> PrepareAsync(IReadOnlyList<(int Id, string Sha)> works, CancellationToken cancellationToken)
    {
        var length = EncoderPreprocessing.TensorLength;
        var tensors = new float[works.Count * length];
        var ok = new bool[works.Count];
        var errors = new string?[works.Count];
        await Parallel.ForAsync(0, works.Count, cancellationToken, async (i, ct) =>
        {
            try
            {
                // The 256-px model derivative, not the original: the encoder sees 224 px anyway, and a
                // re-embed never decodes a large scan again (docs/decisions/0003-embed-from-derivative.md).
                var path = await store.EnsureDerivedAsync(works[i].Sha, DerivedSize.Model, ct)
                    ?? throw new IOException("the original image file is missing");
                using var image = decoder.Decode(await File.ReadAllBytesAsync(path, ct));
                encoder.PrepareInPlace(image, tensors.AsSpan(i * length, length));
                ok[i] = true;
            }
            catch (Exception ex) when (ex is ImageRejectedException or IOException)
            {
                errors[i] = $"artwork {works[i].Id}: {ex.Message}";
            }
        });

        // Compact the successful ones to the front so the batch tensor is contiguous.
        var ids = new List<int>(works.Count);
        for (var i = 0; i < works.Count; i++)
        {
            if (!ok[i])
            {
                continue;
            }

            if (ids.Count != i)
            {
                Array.Copy(tensors, i * length, tensors, ids.Count * length, length);
            }

            ids.Add(works[i].Id);
        }

        var failures = errors.Where(e => e is not null).Select(e => e!).ToList();
        foreach (var failure in failures)
        {
            LogFailure(logger, failure);
        }

        return new PreparedBatch([.. ids], tensors, ids.Count, failures);
    }

    private Task WriteAsync(int[] ids, IReadOnlyList<EncodedImage> embeddings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return NpgsqlBatches.UpsertAsync(dataSource, "Embeddings", ["ArtworkId", "EncoderVersion", "Style", "Content", "CreatedAt"],
            ids.Select((id, i) => new object[] { id, StyleEncoder.Version, new Vector(embeddings[i].Style), new Vector(embeddings[i].Content), now }), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not embedded: {Failure}")]
    private static partial void LogFailure(ILogger logger, string failure);
}
