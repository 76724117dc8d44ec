using System.Threading.Channels;
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
/// upsert keyed by artwork never duplicates. Each work gets two views: the 224 centre crop (search
/// and everything else) and the whole image at 448 px (the recogniser's second vector). A work whose
/// crop is missing or stale gets both; a work whose crop is current but whole view missing or stale
/// (embedded before the whole view existed) gets its whole view alone, and its crop's vectors stay.
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

    /// <summary>A work to embed; <paramref name="WholeOnly"/> when its crop's vectors are current.</summary>
    private sealed record WorkToEmbed(int Id, string Sha, bool WholeOnly);

    /// <summary>
    /// The prepared works, in order: <see cref="Ids"/> and <see cref="Wholes"/> one per work; the crop
    /// tensors, contiguous in <see cref="Tensor"/>, only of the works that are not <see cref="WholeOnly"/>.
    /// </summary>
    private sealed record PreparedBatch(int[] Ids, bool[] WholeOnly, float[] Tensor, int Crops, WholeTensor[] Wholes, List<string> Failures)
    {
        public int Count => Ids.Length;
    }

    public bool IsAvailable => encoder.IsAvailable;

    public async Task<int> CountMissingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Missing(db).CountAsync(cancellationToken);
    }

    /// <summary>Embeds every work without a current embedding (both views).</summary>
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
        return RunAsync(works.Select(w => new WorkToEmbed(w.Id, w.Sha, WholeOnly: false)).Chunk(BatchSize).ToAsyncEnumerable(), _ => { }, cancellationToken);
    }

    /// <summary>
    /// Prepares batch n+1 on the pool while batch n is encoded and batch n−1 is written: the three
    /// stages overlap, and a stop loses at most the batches in flight (they stay "missing").
    /// </summary>
    private async Task RunAsync(IAsyncEnumerable<WorkToEmbed[]> works, Action<PreparedBatch> onBatch, CancellationToken cancellationToken)
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
                var encoded = batch.Crops > 0 ? encoder.Encode(batch.Tensor, batch.Crops) : [];
                var wholes = encoder.EncodeWhole(batch.Wholes);
                await pendingWrite;
                pendingWrite = WriteAsync(batch, encoded, wholes, cancellationToken);
            }

            onBatch(batch);
        }

        await pendingWrite;
        await producer;
    }

    /// <summary>Keyset-paged batches of works that lack a current embedding (both views, or the whole view alone).</summary>
    private async IAsyncEnumerable<WorkToEmbed[]> MissingBatchesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lastId = 0;
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var works = await Missing(db).Where(a => a.Id > lastId).OrderBy(a => a.Id).Take(BatchSize)
                .Select(a => new WorkToEmbed(a.Id, a.ImageSha256, a.Embedding != null && a.Embedding.EncoderVersion == StyleEncoder.Version))
                .ToListAsync(cancellationToken);
            if (works.Count == 0)
            {
                yield break;
            }

            lastId = works[^1].Id;
            yield return [.. works];
        }
    }

    /// <summary>Reads and prepares a batch's tensors in parallel; unreadable works are reported, not fatal.</summary>
    public async Task<(int[] Ids, float[] Tensor, int Count, WholeTensor[] Wholes)> PrepareOnlyAsync(IReadOnlyList<(int Id, string Sha)> works, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(works);
        var batch = await PrepareAsync([.. works.Select(w => new WorkToEmbed(w.Id, w.Sha, WholeOnly: false))], cancellationToken);
        return (batch.Ids, batch.Tensor, batch.Crops, batch.Wholes);
    }

    /// <summary>Works without a current 224 embedding, or without a current whole view beside it.</summary>
    private static IQueryable<Artwork> Missing(GalleryDbContext db) =>
        db.Artworks.Where(a => a.Embedding == null || a.Embedding.EncoderVersion != StyleEncoder.Version
            || a.Embedding.WholeVersion == null || a.Embedding.WholeVersion != StyleEncoder.WholeVersion);

    /// <summary>
    /// The crop view's tensor from a work's model derivative (the JPEG <see cref="DerivedImage.WriteJpeg"/>
    /// writes at <see cref="DerivedSize.Model"/>): what search and the recogniser's first vector see.
    /// Public so the evaluation measures exactly what is stored.
    /// </summary>
    public static void PrepareCrop(ImageDecoder decoder, StyleEncoder encoder, byte[] modelDerivative, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(encoder);
        using var image = decoder.Decode(modelDerivative);
        encoder.PrepareInPlace(image, destination);
    }

    /// <summary>
    /// The whole view's tensor from a work's display derivative (<see cref="DerivedSize.Display"/>):
    /// the recogniser's second vector. Public so the evaluation measures exactly what is stored.
    /// </summary>
    public static WholeTensor PrepareWhole(ImageDecoder decoder, StyleEncoder encoder, byte[] displayDerivative)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(encoder);
        using var image = decoder.Decode(displayDerivative);
        return encoder.PrepareWhole(image);
    }

    private async Task<PreparedBatch> PrepareAsync(IReadOnlyList<WorkToEmbed> works, CancellationToken cancellationToken)
    {
        var length = EncoderPreprocessing.TensorLength;
        var tensors = new float[works.Count * length];
        var ok = new bool[works.Count];
        var errors = new string?[works.Count];
        var wholes = new WholeTensor?[works.Count];
        await Parallel.ForAsync(0, works.Count, cancellationToken, async (i, ct) =>
        {
            try
            {
                // The 256-px model derivative, not the original: the encoder sees 224 px anyway, and a
                // re-embed never decodes a large scan again (docs/decisions/0003-embed-from-derivative.md).
                if (!works[i].WholeOnly)
                {
                    var path = await store.EnsureDerivedAsync(works[i].Sha, DerivedSize.Model, ct)
                        ?? throw new IOException("the original image file is missing");
                    PrepareCrop(decoder, encoder, await File.ReadAllBytesAsync(path, ct), tensors.AsSpan(i * length, length));
                }

                // The whole view sees the work at 448 px: the display derivative (1,280 px) has the
                // detail, and like the model derivative it is made once per work.
                var display = await store.EnsureDerivedAsync(works[i].Sha, DerivedSize.Display, ct)
                    ?? throw new IOException("the original image file is missing");
                wholes[i] = PrepareWhole(decoder, encoder, await File.ReadAllBytesAsync(display, ct));

                ok[i] = true;
            }
            catch (Exception ex) when (ex is ImageRejectedException or IOException)
            {
                errors[i] = $"artwork {works[i].Id}: {ex.Message}";
            }
        });

        // Compact the successful crops to the front so the batch tensor is contiguous.
        var crops = 0;
        for (var i = 0; i < works.Count; i++)
        {
            if (!ok[i] || works[i].WholeOnly)
            {
                continue;
            }

            if (crops != i)
            {
                Array.Copy(tensors, i * length, tensors, crops * length, length);
            }

            crops++;
        }

        var failures = errors.Where(e => e is not null).Select(e => e!).ToList();
        foreach (var failure in failures)
        {
            LogFailure(logger, failure);
        }

        var kept = Enumerable.Range(0, works.Count).Where(i => ok[i]).ToList();
        return new PreparedBatch([.. kept.Select(i => works[i].Id)], [.. kept.Select(i => works[i].WholeOnly)], tensors, crops, [.. kept.Select(i => wholes[i]!)], failures);
    }

    /// <summary>
    /// Upserts the works embedded in both views; for those that needed their whole view alone,
    /// updates just that view (the crop's vectors and date stay as they were).
    /// </summary>
    private async Task WriteAsync(PreparedBatch batch, IReadOnlyList<EncodedImage> crops, IReadOnlyList<EncodedImage> wholes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var both = new List<object[]>();
        var wholeOnly = new List<object[]>();
        for (var i = 0; i < batch.Count; i++)
        {
            var whole = new Vector(RecogniserInput(wholes[i]));
            if (batch.WholeOnly[i])
            {
                wholeOnly.Add([batch.Ids[i], StyleEncoder.WholeVersion, whole]);
                continue;
            }

            var crop = crops[both.Count];
            both.Add([batch.Ids[i], StyleEncoder.Version, new Vector(crop.Style), new Vector(crop.Content), StyleEncoder.WholeVersion, whole, now]);
        }

        if (both.Count > 0)
        {
            await NpgsqlBatches.UpsertAsync(dataSource, "Embeddings", ["ArtworkId", "EncoderVersion", "Style", "Content", "WholeVersion", "WholeView", "CreatedAt"], both, cancellationToken);
        }

        if (wholeOnly.Count > 0)
        {
            await UpdateWholeViewsAsync(wholeOnly, cancellationToken);
        }
    }

    /// <summary>Sets the whole view of works that already have their crop's row (an upsert would have to repeat the crop's columns).</summary>
    private async Task UpdateWholeViewsAsync(IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var update = connection.CreateBatch();
        foreach (var row in rows)
        {
            var command = update.CreateBatchCommand();
            command.CommandText = """UPDATE "Embeddings" SET "WholeVersion" = $2, "WholeView" = $3 WHERE "ArtworkId" = $1""";
            foreach (var value in row)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            update.BatchCommands.Add(command);
        }

        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The stored whole view: style then content, the layout the recogniser reads.</summary>
    private static float[] RecogniserInput(EncodedImage whole) => [.. whole.Style, .. whole.Content];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not embedded: {Failure}")]
    private static partial void LogFailure(ILogger logger, string failure);
}
