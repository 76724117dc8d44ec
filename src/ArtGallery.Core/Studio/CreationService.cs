using ArtGallery.Core.Search;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using Pgvector;

namespace ArtGallery.Core.Studio;

public sealed record CreationView(long Id, string Kind, string Title, string ImageSha256, int PixelWidth, int PixelHeight, int? SourceArtworkId, string? ParametersJson, DateTimeOffset CreatedAt);

/// <summary>Who an image in the store is served to.</summary>
public enum ImageAudience
{
    Nobody,
    Owner,
    Public,
}

/// <summary>What a studio engine made, to be kept for its owner.</summary>
public sealed record NewCreation(string Kind, string Title, byte[] Png, string? ParametersJson = null, int? SourceArtworkId = null);

/// <summary>
/// "My creations": saves a studio result (any kind: style transfer, GAN, …) for an owner in the
/// image store, embeds it with the gallery's encoder, and finds the gallery works it resembles
/// with the same similar search as a work's own page.
/// </summary>
public sealed class CreationService(
    IDbContextFactory<GalleryDbContext> contextFactory,
    ImageStore store,
    ImageDecoder decoder,
    StyleEncoder encoder,
    SimilarSearchService search,
    TimeProvider clock)
{
    public async Task<long> SaveAsync(string ownerId, NewCreation creation, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        ArgumentNullException.ThrowIfNull(creation);
        if (ownerId.Length > Creation.OwnerMaxLength)
        {
            throw new ArgumentException("The owner id is too long.", nameof(ownerId));
        }

        var sha = ImageStore.Sha256Hex(creation.Png);
        using var image = decoder.Decode(creation.Png);
        await store.PutOriginalAsync(sha, creation.Png, cancellationToken);
        await store.WriteDerivedAsync(sha, image, cancellationToken);
        var encoded = encoder.IsAvailable ? await Task.Run(() => encoder.Encode([image])[0], cancellationToken) : null;

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = new Creation
        {
            OwnerId = ownerId,
            Kind = creation.Kind,
            Title = creation.Title.Length > 300 ? creation.Title[..300] : creation.Title,
            ParametersJson = creation.ParametersJson,
            ImageSha256 = sha,
            PixelWidth = image.Width,
            PixelHeight = image.Height,
            FileBytes = creation.Png.Length,
            SourceArtworkId = creation.SourceArtworkId,
            EncoderVersion = encoded is null ? null : StyleEncoder.Version,
            Style = encoded is null ? null : new Vector(encoded.Style),
            Content = encoded is null ? null : new Vector(encoded.Content),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Creations.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.Id;
    }

    public async Task<IReadOnlyList<CreationView>> ListAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Creations.AsNoTracking().Where(c => c.OwnerId == ownerId).OrderByDescending(c => c.Id).Take(200)
            .Select(c => new CreationView(c.Id, c.Kind, c.Title, c.ImageSha256, c.PixelWidth, c.PixelHeight, c.SourceArtworkId, c.ParametersJson, c.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>One creation of this owner, or null (someone else's creations are not visible).</summary>
    public async Task<CreationView?> GetAsync(string ownerId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Creations.AsNoTracking().Where(c => c.Id == id && c.OwnerId == ownerId)
            .Select(c => new CreationView(c.Id, c.Kind, c.Title, c.ImageSha256, c.PixelWidth, c.PixelHeight, c.SourceArtworkId, c.ParametersJson, c.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Who may see an image in the store: a gallery work's, anyone (<see cref="ImageAudience.Public"/>);
    /// a creation's, its owner only (<see cref="ImageAudience.Owner"/>); anything else (an upload, a
    /// stranger's creation, an unknown hash), nobody.
    /// </summary>
    public async Task<ImageAudience> AudienceAsync(string sha256, string? ownerId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Artworks.AnyAsync(a => a.ImageSha256 == sha256, cancellationToken))
        {
            return ImageAudience.Public;
        }

        return ownerId is not null && await db.Creations.AnyAsync(c => c.ImageSha256 == sha256 && c.OwnerId == ownerId, cancellationToken)
            ? ImageAudience.Owner
            : ImageAudience.Nobody;
    }

    /// <summary>The original PNG of one of this owner's creations, or null.</summary>
    public async Task<byte[]?> ReadPngAsync(string ownerId, long id, CancellationToken cancellationToken = default) =>
        await GetAsync(ownerId, id, cancellationToken) is { } c ? await store.ReadOriginalAsync(c.ImageSha256, cancellationToken) : null;

    public async Task<bool> DeleteAsync(string ownerId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Creations.Where(c => c.Id == id && c.OwnerId == ownerId).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    /// <summary>Gallery works closest to the creation (style, content or blend, as on a work's page).</summary>
    public async Task<SimilarResults> SimilarWorksAsync(string ownerId, long id, SimilarQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var vectors = await db.Creations.AsNoTracking().Where(c => c.Id == id && c.OwnerId == ownerId && c.Style != null)
            .Select(c => new { c.Style, c.Content, c.EncoderVersion }).FirstOrDefaultAsync(cancellationToken);
        return vectors is null
            ? SimilarResults.Empty(query.Normalized())
            : await search.SimilarToEmbeddingAsync(vectors.Style!, vectors.Content!, vectors.EncoderVersion!, query, cancellationToken);
    }

    /// <summary>Cosine similarity of the creation's style embedding to a gallery work's (null if either is missing).</summary>
    public async Task<double?> StyleSimilarityToWorkAsync(string ownerId, long id, int artworkId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var creation = await db.Creations.AsNoTracking().Where(c => c.Id == id && c.OwnerId == ownerId).Select(c => c.Style).FirstOrDefaultAsync(cancellationToken);
        var work = await db.Embeddings.AsNoTracking().Where(e => e.ArtworkId == artworkId).Select(e => e.Style).FirstOrDefaultAsync(cancellationToken);
        return creation is null || work is null ? null : StyleDescriptors.CosineSimilarity(creation.ToArray(), work.ToArray());
    }
}
