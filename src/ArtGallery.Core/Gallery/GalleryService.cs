using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Search;

namespace ArtGallery.Core.Gallery;

/// <summary>Read side of the gallery: browse, artwork pages, similar works, artists, collections.</summary>
public sealed class GalleryService(IDbContextFactory<GalleryDbContext> contextFactory, CallerVerifier callers, IOptions<SearchOptions> searchOptions, SimilarityScale scale)
{
    public const int MaxPageSize = 96;

    /// <summary>
    /// One page of works. A collection filter only ever matches a collection <paramref name="viewer"/>
    /// may see (the collection page's rule); any other reads as an empty collection.
    /// </summary>
    public async Task<Page<ArtworkCard>> BrowseAsync(ArtworkQuery query, ClaimsPrincipal? viewer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);

        // (page - 1) * pageSize must stay an int: a page past the last is empty, never an overflow.
        var page = Math.Clamp(query.Page, 1, (int.MaxValue / MaxPageSize) - 1);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (query.CollectionId is { } collectionId && !await CanSeeCollectionAsync(db, collectionId, viewer, cancellationToken))
        {
            return new Page<ArtworkCard>([], 0, page, pageSize);
        }

        var works = Filter(db, query);
        var total = await works.CountAsync(cancellationToken);
        works = query.Sort switch
        {
            ArtworkSort.YearAscending => works.OrderBy(a => a.Year == null).ThenBy(a => a.Year).ThenBy(a => a.Id),
            ArtworkSort.YearDescending => works.OrderBy(a => a.Year == null).ThenByDescending(a => a.Year).ThenBy(a => a.Id),
            ArtworkSort.Title => works.OrderBy(a => a.Title).ThenBy(a => a.Id),
            ArtworkSort.CollectionOrder when query.CollectionId is { } inCollection =>
                works.OrderBy(a => a.CollectionItems.Where(i => i.CollectionId == inCollection).Select(i => i.Position).FirstOrDefault()).ThenBy(a => a.Id),
            _ => works.OrderByDescending(a => a.Id),
        };
        var items = await ToCards(works.Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(cancellationToken);
        return new Page<ArtworkCard>(items, total, page, pageSize);
    }

    public async Task<ArtworkDetail?> GetArtworkAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var card = await ToCards(db.Artworks.Where(a => a.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (card is null)
        {
            return null;
        }

        var work = await db.Artworks.AsNoTracking().AsSplitQuery().Where(a => a.Id == id)
            .Select(a => new
            {
                a.Medium, a.Dimensions, a.Description, a.Credit, a.Licence, a.Source, a.IsGenerated, a.Palette,
                Version = a.Embedding == null ? null : a.Embedding.EncoderVersion,
                Tags = a.Tags.Where(t => t.Status != TagStatus.Rejected).OrderBy(t => t.Tag!.Vocabulary).ThenByDescending(t => t.Confidence)
                    .Select(t => new TagView(t.Tag!.Vocabulary.ToString(), t.Tag.Name, t.Tag.Slug, t.Source.ToString(), t.Confidence)).ToList(),
                Collections = a.CollectionItems.Where(i => i.Collection!.IsPublished)
                    .Select(i => new CollectionRef(i.Collection!.Id, i.Collection.Name, i.Collection.Slug)).ToList(),
            })
            .FirstAsync(cancellationToken);
        return new ArtworkDetail(card, work.Medium, work.Dimensions, work.Description, work.Credit, work.Licence, work.Source,
            work.IsGenerated, work.Palette, work.Tags, work.Collections, work.Version);
    }

    /// <summary>
    /// The <paramref name="count"/> works closest to <paramref name="artworkId"/> by cosine distance
    /// among those embedded by the same encoder version (<see cref="NearestNeighbours"/>).
    /// </summary>
    public async Task<IReadOnlyList<SimilarWork>> SimilarAsync(int artworkId, SimilarityKind kind, int count = 12, CancellationToken cancellationToken = default)
    {
        count = Math.Clamp(count, 1, 100);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var source = await db.Embeddings.AsNoTracking().Where(e => e.ArtworkId == artworkId)
            .Select(e => new { e.Style, e.Content, e.EncoderVersion }).FirstOrDefaultAsync(cancellationToken);
        if (source is null)
        {
            return [];
        }

        // The shared scan: same encoder version only, the HNSW index always, never the work itself.
        var target = kind == SimilarityKind.Style ? source.Style : source.Content;
        var nearest = await NearestNeighbours.NearestAsync(db, searchOptions.Value, kind, target, source.EncoderVersion, artworkId, count, cancellationToken);
        var ids = nearest.Select(n => n.ArtworkId).ToList();
        var cards = await ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        // Scores a person can read: the collection's own scale, style alone or content alone (weight 1 or 0).
        var distribution = await scale.GetAsync(source.EncoderVersion, cancellationToken);
        var styleWeight = kind == SimilarityKind.Style ? 1.0 : 0.0;
        return [.. nearest.Where(n => cards.ContainsKey(n.ArtworkId))
            .Select(n => new SimilarWork(cards[n.ArtworkId], 1 - n.Distance, distribution?.Match(1 - n.Distance, styleWeight)))];
    }

    public async Task<GalleryFacets> GetFacetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var styles = await db.Tags.Where(t => t.Vocabulary == TagVocabulary.Style)
            .Select(t => new { t.Slug, t.Name, Count = t.Artworks.Count(a => a.Status == TagStatus.Accepted) })
            .Where(t => t.Count > 0).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var artists = await db.Artists.Select(a => new { a.Id, a.Name, Count = a.Artworks.Count })
            .Where(a => a.Count > 0).OrderBy(a => a.Name).ToListAsync(cancellationToken);
        var collections = await db.Collections.Where(c => c.IsPublished && c.OwnerId == null)
            .Select(c => new { c.Id, c.Name, Count = c.Items.Count }).OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var minYear = await db.Artworks.MinAsync(a => a.Year, cancellationToken);
        var maxYear = await db.Artworks.MaxAsync(a => a.Year, cancellationToken);
        return new GalleryFacets(
            [.. styles.Select(s => new Facet(s.Slug, s.Name, s.Count))],
            [.. artists.Select(a => new Facet(a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Name, a.Count))],
            [.. collections.Select(c => new Facet(c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name, c.Count))],
            minYear, maxYear);
    }

    public async Task<ArtistDetail?> GetArtistAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Artists.Where(a => a.Id == id)
            .Select(a => new ArtistDetail(a.Id, a.Name, a.BirthYear, a.DeathYear, a.Nationality, a.Biography, a.IsGenerated, a.Artworks.Count))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ArtistDetail>> ListArtistsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Artists.OrderBy(a => a.Name)
            .Select(a => new ArtistDetail(a.Id, a.Name, a.BirthYear, a.DeathYear, a.Nationality, a.Biography, a.IsGenerated, a.Artworks.Count))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CollectionSummary>> ListCollectionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Summaries(db.Collections.Where(c => c.IsPublished && c.OwnerId == null).OrderBy(c => c.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// A collection by slug as <paramref name="viewer"/> may see it: published curated ones for
    /// everyone, unpublished curated ones for curators, a saved collection for its owner only.
    /// </summary>
    public async Task<CollectionSummary?> GetCollectionAsync(string slug, ClaimsPrincipal? viewer = null, CancellationToken cancellationToken = default)
    {
        var visible = await VisibleToAsync(viewer, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await Summaries(db.Collections.Where(c => c.Slug == slug).Where(visible)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Whether <paramref name="viewer"/> may see collection <paramref name="collectionId"/> and its works (the collection page's rule).</summary>
    internal async Task<bool> CanSeeCollectionAsync(GalleryDbContext db, int collectionId, ClaimsPrincipal? viewer, CancellationToken cancellationToken)
    {
        var visible = await VisibleToAsync(viewer, cancellationToken);
        return await db.Collections.Where(c => c.Id == collectionId).Where(visible).AnyAsync(cancellationToken);
    }

    /// <summary>
    /// The one visibility rule for collections: published curated ones for everyone, unpublished
    /// curated ones for curators, a saved collection for its owner only; roles as they are now.
    /// </summary>
    private async Task<System.Linq.Expressions.Expression<Func<Collection, bool>>> VisibleToAsync(ClaimsPrincipal? viewer, CancellationToken cancellationToken)
    {
        var current = viewer is null ? null : await callers.CurrentAsync(viewer, cancellationToken);
        var curator = current is not null && GalleryAccess.Allows(current, AccessLevel.Curate);
        var userId = current is null ? null : GalleryAccess.UserId(current);
        return c => (c.OwnerId == null && (c.IsPublished || curator)) || (userId != null && c.OwnerId == userId);
    }

    private static IQueryable<CollectionSummary> Summaries(IQueryable<Collection> collections) =>
        collections.Select(c => new CollectionSummary(c.Id, c.Name, c.Slug, c.Description, c.Items.Count, c.IsPublished,
            c.CoverArtwork != null ? c.CoverArtwork.ImageSha256 : c.Items.OrderBy(i => i.Position).Select(i => i.Artwork!.ImageSha256).FirstOrDefault()));

    private static IQueryable<Artwork> Filter(GalleryDbContext db, ArtworkQuery query)
    {
        var works = db.Artworks.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            var pattern = $"%{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%";
            works = works.Where(a => a.SearchVector.Matches(EF.Functions.PlainToTsQuery("simple", text))
                || EF.Functions.ILike(a.Title, pattern)
                || (a.Artist != null && EF.Functions.ILike(a.Artist.Name, pattern))
                || a.Tags.Any(t => t.Tag!.Vocabulary == TagVocabulary.Style && t.Status == TagStatus.Accepted && EF.Functions.ILike(t.Tag.Name, pattern)));
        }

        if (!string.IsNullOrWhiteSpace(query.Style))
        {
            works = works.Where(a => a.Tags.Any(t => t.Tag!.Vocabulary == TagVocabulary.Style && t.Tag.Slug == query.Style && t.Status == TagStatus.Accepted));
        }

        if (query.ArtistId is { } artistId)
        {
            works = works.Where(a => a.ArtistId == artistId);
        }

        if (query.CollectionId is { } collectionId)
        {
            works = works.Where(a => a.CollectionItems.Any(i => i.CollectionId == collectionId));
        }

        if (query.YearFrom is { } from)
        {
            works = works.Where(a => a.Year >= from);
        }

        if (query.YearTo is { } to)
        {
            works = works.Where(a => a.Year <= to);
        }

        return works;
    }

    /// <summary>The card projection, shared with the Search feature so a card looks the same everywhere.</summary>
    internal static IQueryable<ArtworkCard> ToCards(IQueryable<Artwork> works) =>
        works.Select(a => new ArtworkCard(a.Id, a.Title, a.ArtistId, a.Artist != null ? a.Artist.Name : null, a.Year, a.ImageSha256, a.PixelWidth, a.PixelHeight,
            a.Tags.Where(t => t.Tag!.Vocabulary == TagVocabulary.Style && t.Status == TagStatus.Accepted).OrderByDescending(t => t.Confidence).Select(t => t.Tag!.Name).FirstOrDefault()));
}
