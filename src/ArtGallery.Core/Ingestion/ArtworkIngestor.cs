using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Imaging;

namespace ArtGallery.Core.Ingestion;

public sealed record ArtistInfo(string Name, int? BirthYear = null, int? DeathYear = null, string? Nationality = null, string? Biography = null, bool IsGenerated = false);

/// <summary>What an import knows about one work besides its image.</summary>
public sealed record ArtworkMetadata(string Title)
{
    public ArtistInfo? Artist { get; init; }

    public int? Year { get; init; }

    public string? Medium { get; init; }

    public string? Dimensions { get; init; }

    public string? Description { get; init; }

    public string? Credit { get; init; }

    public string? Licence { get; init; }

    /// <summary>Where the row came from (file path, URL): shown in reports and stored with the work.</summary>
    public string? Source { get; init; }

    public bool IsGenerated { get; init; }

    public IReadOnlyList<(TagVocabulary Vocabulary, string Name)> Tags { get; init; } = [];
}

public enum IngestOutcome
{
    Imported,
    Updated,
    Skipped,
    Failed,
}

public sealed record IngestResult(string Source, IngestOutcome Outcome, int? ArtworkId, string? Reason = null);

/// <summary>
/// Adds images to the gallery, idempotent by content hash: a known image updates its metadata and is
/// never duplicated. Files are stored before the row is written, so an interrupted import is simply
/// run again.
/// </summary>
public sealed class ArtworkIngestor(
    IDbContextFactory<GalleryDbContext> contextFactory,
    ImageStore store,
    ImageDecoder decoder,
    EmbeddingSignal embeddingSignal,
    TimeProvider clock)
{
    private sealed record Prepared(string Sha256, ImageHeader Header, long Bytes, IReadOnlyList<string> Palette);

    /// <summary>Ingests a batch: images are checked, stored and derived in parallel, rows saved together.</summary>
    public Task<IReadOnlyList<IngestResult>> IngestAsync(
        IReadOnlyList<(byte[] Data, ArtworkMetadata Metadata)> items,
        CancellationToken cancellationToken = default) => IngestAsync(items, null, cancellationToken);

    /// <summary>
    /// As <see cref="IngestAsync(IReadOnlyList{ValueTuple{byte[], ArtworkMetadata}}, CancellationToken)"/>;
    /// <paramref name="record"/> adds the caller's own bookkeeping (an import's per-row state) to the
    /// same transaction as the works, so a crash leaves both written or neither.
    /// </summary>
    public async Task<IReadOnlyList<IngestResult>> IngestAsync(
        IReadOnlyList<(byte[] Data, ArtworkMetadata Metadata)> items,
        Action<GalleryDbContext, IReadOnlyList<IngestResult>>? record,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new IngestResult?[items.Count];
        var prepared = new Prepared?[items.Count];
        var hashes = items.Select(i => ImageStore.Sha256Hex(i.Data)).ToArray();

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.Artworks.Include(a => a.Artist).Include(a => a.Tags)
            .Where(a => hashes.Contains(a.ImageSha256))
            .ToDictionaryAsync(a => a.ImageSha256, cancellationToken);

        await Parallel.ForAsync(0, items.Count, cancellationToken, async (i, ct) =>
        {
            if (existing.ContainsKey(hashes[i]) || Array.IndexOf(hashes, hashes[i]) != i)
            {
                return;
            }

            var (data, metadata) = items[i];
            try
            {
                using var image = decoder.Decode(data, out var header);
                await store.PutOriginalAsync(hashes[i], data, ct);
                await store.WriteDerivedAsync(hashes[i], image, ct);
                prepared[i] = new Prepared(hashes[i], header, data.Length, PaletteExtractor.Extract(image));
            }
            catch (ImageRejectedException ex)
            {
                results[i] = new IngestResult(metadata.Source ?? metadata.Title, IngestOutcome.Failed, null, ex.Message);
            }
        });

        var now = clock.GetUtcNow();
        var artists = new Dictionary<string, Artist>(StringComparer.Ordinal);
        var tags = new Dictionary<(TagVocabulary, string), Tag>();
        var added = new List<(int Index, Artwork Artwork)>();
        for (var i = 0; i < items.Count; i++)
        {
            var metadata = items[i].Metadata;
            var source = metadata.Source ?? metadata.Title;
            if (results[i] is not null)
            {
                continue;
            }

            if (existing.TryGetValue(hashes[i], out var known))
            {
                var changed = Apply(known, metadata);
                if (metadata.Artist is { } artistInfo && known.Artist?.Name != artistInfo.Name)
                {
                    known.Artist = await ArtistAsync(db, artists, artistInfo, now, cancellationToken);
                    changed = true;
                }

                changed |= await AddTagsAsync(db, tags, known, metadata, now, cancellationToken);
                if (changed)
                {
                    known.UpdatedAt = now;
                }

                results[i] = new IngestResult(source, changed ? IngestOutcome.Updated : IngestOutcome.Skipped, known.Id,
                    changed ? null : "already in the gallery with the same metadata");
                continue;
            }

            if (prepared[i] is not { } p)
            {
                results[i] = new IngestResult(source, IngestOutcome.Skipped, null, "the same image appears earlier in this batch");
                continue;
            }

            var artwork = new Artwork
            {
                Title = metadata.Title,
                ImageSha256 = p.Sha256,
                ImageFormat = p.Header.Format,
                PixelWidth = p.Header.Width,
                PixelHeight = p.Header.Height,
                FileBytes = p.Bytes,
                Palette = [.. p.Palette],
                CreatedAt = now,
                UpdatedAt = now,
            };
            Apply(artwork, metadata);
            if (metadata.Artist is { } info)
            {
                artwork.Artist = await ArtistAsync(db, artists, info, now, cancellationToken);
            }

            db.Artworks.Add(artwork);
            await AddTagsAsync(db, tags, artwork, metadata, now, cancellationToken);
            added.Add((i, artwork));
        }

        await using var transaction = record is null ? null : await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (index, artwork) in added)
        {
            results[index] = new IngestResult(items[index].Metadata.Source ?? artwork.Title, IngestOutcome.Imported, artwork.Id);
        }

        if (record is not null)
        {
            record(db, [.. results.Select(r => r!)]);
            await db.SaveChangesAsync(cancellationToken);
            await transaction!.CommitAsync(cancellationToken);
        }

        if (added.Count > 0)
        {
            embeddingSignal.Notify();
        }

        return [.. results.Select(r => r!)];
    }

    private static bool Apply(Artwork artwork, ArtworkMetadata metadata)
    {
        var before = (artwork.Title, artwork.Year, artwork.Medium, artwork.Dimensions, artwork.Description, artwork.Credit, artwork.Licence, artwork.Source, artwork.IsGenerated);
        artwork.Title = metadata.Title;
        artwork.Year = metadata.Year ?? artwork.Year;
        artwork.Medium = metadata.Medium ?? artwork.Medium;
        artwork.Dimensions = metadata.Dimensions ?? artwork.Dimensions;
        artwork.Description = metadata.Description ?? artwork.Description;
        artwork.Credit = metadata.Credit ?? artwork.Credit;
        artwork.Licence = metadata.Licence ?? artwork.Licence;
        artwork.Source = metadata.Source ?? artwork.Source;
        artwork.IsGenerated = metadata.IsGenerated;
        return before != (artwork.Title, artwork.Year, artwork.Medium, artwork.Dimensions, artwork.Description, artwork.Credit, artwork.Licence, artwork.Source, artwork.IsGenerated);
    }

    private static async Task<Artist> ArtistAsync(GalleryDbContext db, Dictionary<string, Artist> cache, ArtistInfo info, DateTimeOffset now, CancellationToken ct)
    {
        var slug = Slug.From(info.Name);
        if (cache.TryGetValue(slug, out var cached))
        {
            return cached;
        }

        var artist = await db.Artists.FirstOrDefaultAsync(a => a.Slug == slug, ct);
        if (artist is null)
        {
            artist = new Artist
            {
                Name = info.Name,
                Slug = slug,
                BirthYear = info.BirthYear,
                DeathYear = info.DeathYear,
                Nationality = info.Nationality,
                Biography = info.Biography,
                IsGenerated = info.IsGenerated,
                CreatedAt = now,
            };
            db.Artists.Add(artist);
        }

        cache[slug] = artist;
        return artist;
    }

    private static async Task<bool> AddTagsAsync(
        GalleryDbContext db, Dictionary<(TagVocabulary, string), Tag> cache, Artwork artwork, ArtworkMetadata metadata, DateTimeOffset now, CancellationToken ct)
    {
        var changed = false;
        foreach (var (vocabulary, name) in metadata.Tags)
        {
            var slug = Slug.From(name);
            if (!cache.TryGetValue((vocabulary, slug), out var tag))
            {
                tag = await db.Tags.FirstOrDefaultAsync(t => t.Vocabulary == vocabulary && t.Slug == slug, ct)
                    ?? db.Tags.Add(new Tag { Vocabulary = vocabulary, Name = name, Slug = slug }).Entity;
                cache[(vocabulary, slug)] = tag;
            }

            if (artwork.Tags.Any(t => (t.Tag == tag || (tag.Id != 0 && t.TagId == tag.Id)) && t.Source == TagSource.Curator))
            {
                continue;
            }

            artwork.Tags.Add(new ArtworkTag
            {
                Tag = tag,
                Source = TagSource.Curator,
                Status = TagStatus.Accepted,
                Confidence = 1f,
                CreatedBy = "import",
                CreatedAt = now,
            });
            changed = true;
        }

        return changed;
    }
}
