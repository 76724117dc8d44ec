using System.Data.Common;
using System.Globalization;
using System.Text;
using ArtGallery.Core.Gallery;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace ArtGallery.Core.Search;

/// <summary>
/// "Find similar" (query = a work's stored embedding) and "search by photo" (query = an uploaded
/// photo's encoding): filtered, thresholded nearest works by style, content or a blend of both.
/// </summary>
public sealed partial class SimilarSearchService(
    IDbContextFactory<GalleryDbContext> contextFactory,
    StyleEncoder encoder,
    ImageDecoder decoder,
    SimilarityScale scale,
    IOptions<SearchOptions> options,
    TimeProvider clock,
    ILogger<SimilarSearchService> logger)
{
    private readonly SearchOptions _options = options.Value;

    public SearchOptions Options => _options;

    /// <summary>Whether photos can be searched (the encoder loaded), and if not, why.</summary>
    public bool PhotoSearchAvailable => encoder.IsAvailable;

    public string? PhotoSearchUnavailableReason => encoder.UnavailableReason;

    /// <summary>Works closest to <paramref name="artworkId"/> (never itself); empty when the work has no embedding.</summary>
    public async Task<SimilarResults> SimilarToArtworkAsync(int artworkId, SimilarQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var normalized = query.Normalized();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var source = await db.Embeddings.AsNoTracking().Where(e => e.ArtworkId == artworkId)
            .Select(e => new { e.Style, e.Content, e.EncoderVersion }).FirstOrDefaultAsync(cancellationToken);
        if (source is null)
        {
            return SimilarResults.Empty(normalized);
        }

        return await SearchAsync(db, new QueryVectors(source.Style, source.Content, source.EncoderVersion), artworkId, normalized, cancellationToken);
    }

    /// <summary>
    /// Works closest to a visitor's photo. The photo is decoded and encoded in memory only: nothing
    /// is written, so a search never adds to the collection.
    /// </summary>
    /// <exception cref="PhotoSearchException">Too large, not an image, damaged, or no encoder; the message is for the visitor.</exception>
    public async Task<SimilarResults> SimilarToPhotoAsync(byte[] photo, SimilarQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(query);
        var normalized = query.Normalized();

        // EncodePhotoAsync checks the size and the encoder as well as the page: the service must hold whatever the caller did.
        var started = clock.GetTimestamp();
        var encoded = await EncodePhotoAsync(photo, cancellationToken);
        var encodedAfter = clock.GetElapsedTime(started);

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var results = await SearchAsync(db, new QueryVectors(new Vector(encoded.Style), new Vector(encoded.Content), StyleEncoder.Version), null, normalized, cancellationToken);
        LogPhotoSearch(logger, photo.Length, encodedAfter.TotalMilliseconds, clock.GetElapsedTime(started).TotalMilliseconds, results.Items.Count);
        return results;
    }

    /// <summary>
    /// A visitor's photo encoded in memory (nothing is written), so a page can search with it again
    /// when its settings change and ask the recogniser about it, without decoding it twice.
    /// </summary>
    /// <exception cref="PhotoSearchException">Too large, not an image, damaged, or no encoder; the message is for the visitor.</exception>
    public async Task<EncodedImage> EncodePhotoAsync(byte[] photo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        if (photo.Length > _options.MaxUploadBytes)
        {
            throw new PhotoSearchException($"The photo is {FormatMiB(photo.Length)}; the limit is {FormatMiB(_options.MaxUploadBytes)}.");
        }

        if (!encoder.IsAvailable)
        {
            throw new PhotoSearchException($"Search by photo is unavailable right now: the image encoder is not loaded ({encoder.UnavailableReason}).");
        }

        // Decoding a phone photo and running the CNN take a few hundred ms of CPU: off the circuit's thread.
        return await Task.Run(() =>
        {
            try
            {
                using var image = decoder.Decode(photo);
                return encoder.Encode([image])[0];
            }
            catch (ImageRejectedException ex)
            {
                throw new PhotoSearchException(ex.Message, ex);
            }
        }, cancellationToken);
    }

    /// <summary>Works closest to given embeddings (a studio creation's), made by <paramref name="encoderVersion"/>.</summary>
    public async Task<SimilarResults> SimilarToEmbeddingAsync(Vector style, Vector content, string encoderVersion, SimilarQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await SearchAsync(db, new QueryVectors(style, content, encoderVersion), null, query.Normalized(), cancellationToken);
    }

    /// <summary>Accepted tags of every vocabulary, for the tag filter.</summary>
    public async Task<IReadOnlyList<TagFacet>> GetTagFacetsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tags = await db.Tags
            .Select(t => new { t.Slug, t.Name, t.Vocabulary, Count = t.Artworks.Count(a => a.Status == TagStatus.Accepted) })
            .Where(t => t.Count > 0).OrderBy(t => t.Vocabulary).ThenBy(t => t.Name).ToListAsync(cancellationToken);

        // The same slug can exist in two vocabularies; the filter matches it in any, so offer it once.
        return [.. tags.GroupBy(t => t.Slug).Select(g => new TagFacet(g.Key, g.First().Name, g.First().Vocabulary.ToString(), g.Sum(t => t.Count)))];
    }

    private async Task<SimilarResults> SearchAsync(GalleryDbContext db, QueryVectors vectors, int? excludeId, SimilarQuery query, CancellationToken cancellationToken)
    {
        var limit = query.Count * Math.Max(1, _options.CandidateFactor);
        var candidates = new List<Candidate>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await ApplyIndexSettingsAsync(db, transaction, cancellationToken);
            if (query.Mode != SimilarMode.Content)
            {
                candidates.AddRange(await CandidatesAsync(db, transaction, SimilarityKind.Style, vectors, excludeId, query.Filters, limit, cancellationToken));
            }

            if (query.Mode != SimilarMode.Style)
            {
                candidates.AddRange(await CandidatesAsync(db, transaction, SimilarityKind.Content, vectors, excludeId, query.Filters, limit, cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        // The slider's match threshold becomes a cosine on this collection's scale; a cosine in the URL (min) still holds too.
        var weight = query.EffectiveStyleWeight;
        var distribution = await scale.GetAsync(vectors.EncoderVersion, cancellationToken);
        var minimum = distribution is not null && query.MinMatch > 0
            ? Math.Max(query.MinSimilarity, distribution.SimilarityAt(query.MinMatch, weight))
            : query.MinSimilarity;
        var ranked = BlendRanking.Rank(candidates, weight, minimum, query.Count);
        var ids = ranked.Select(r => r.ArtworkId).ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        return new SimilarResults(query, [.. ranked.Where(r => cards.ContainsKey(r.ArtworkId))
            .Select(r => new SimilarMatch(cards[r.ArtworkId], r.Score, r.StyleScore, r.ContentScore) { Match = distribution?.Match(r.Score, weight) })]);
    }

    private async Task ApplyIndexSettingsAsync(GalleryDbContext db, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(db, transaction, NearestNeighbours.IndexSettingsSql(_options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<Candidate>> CandidatesAsync(GalleryDbContext db, IDbContextTransaction transaction, SimilarityKind index,
        QueryVectors vectors, int? excludeId, SimilarFilters filters, int limit, CancellationToken cancellationToken)
    {
        var (sql, parameters) = CandidateQuery(index, vectors.Style, vectors.Content, vectors.EncoderVersion, excludeId, filters, limit);
        await using var command = Command(db, transaction, sql);
        command.Parameters.AddRange(parameters);
        var candidates = new List<Candidate>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            candidates.Add(new Candidate(reader.GetInt32(0), reader.GetDouble(1), reader.GetDouble(2)));
        }

        return candidates;
    }

    /// <summary>
    /// The <paramref name="limit"/> nearest works by one <paramref name="index"/> that pass the
    /// filters, each with both exact distances (so a blend can re-rank without a second query).
    /// </summary>
    public static (string Sql, NpgsqlParameter[] Parameters) CandidateQuery(SimilarityKind index, Vector style, Vector content, string encoderVersion,
        int? excludeId, SimilarFilters filters, int limit)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var parameters = new List<NpgsqlParameter>
        {
            new("style", style),
            new("content", content),
            new("version", encoderVersion),
            new("limit", limit),
        };

        var where = new StringBuilder();
        if (excludeId is { } exclude)
        {
            where.Append("e.\"ArtworkId\" <> @exclude");
            parameters.Add(new("exclude", exclude));
        }

        AppendFilters(where, parameters, filters);
        var (own, ownDistance) = index == SimilarityKind.Style ? ("@style", "style_distance") : ("@content", "content_distance");
        var scan = NearestNeighbours.ScanSql(index,
            $"e.\"ArtworkId\", {NearestNeighbours.Distance(SimilarityKind.Style, "@style")} AS style_distance, {NearestNeighbours.Distance(SimilarityKind.Content, "@content")} AS content_distance",
            own, "@version", where.Length == 0 ? null : where.ToString(), "@limit");

        // The CTE is the index scan (ORDER BY distance LIMIT n, filters inside so the iterative scan
        // sees them); MATERIALIZED keeps the planner from folding it into the outer query, whose
        // ORDER BY puts relaxed_order's slightly shuffled output back in order.
        var sql = $"""
            WITH nearest AS MATERIALIZED (
                {scan}
            )
            SELECT "ArtworkId", style_distance, content_distance FROM nearest ORDER BY {ownDistance}, "ArtworkId"
            """;
        return (sql, [.. parameters]);
    }

    /// <summary>
    /// Filters as correlated EXISTS on the embedding row: evaluated per tuple the index scan
    /// yields, so they narrow the scan instead of replacing it.
    /// </summary>
    private static void AppendFilters(StringBuilder where, List<NpgsqlParameter> parameters, SimilarFilters filters)
    {
        var artwork = new List<string>();
        if (filters.ArtistId is { } artist)
        {
            artwork.Add("a.\"ArtistId\" = @artist");
            parameters.Add(new("artist", artist));
        }

        if (filters.YearFrom is { } from)
        {
            artwork.Add("a.\"Year\" >= @year_from");
            parameters.Add(new("year_from", from));
        }

        if (filters.YearTo is { } to)
        {
            artwork.Add("a.\"Year\" <= @year_to");
            parameters.Add(new("year_to", to));
        }

        if (artwork.Count > 0)
        {
            And(where).Append("EXISTS (SELECT 1 FROM \"Artworks\" a WHERE a.\"Id\" = e.\"ArtworkId\" AND ").AppendJoin(" AND ", artwork).Append(')');
        }

        if (filters.CollectionId is { } collection)
        {
            // Only published curated collections: the filter offers no others, and an unpublished or a
            // visitor's saved collection must not be listed, in order, to whoever guesses its id.
            And(where).Append("EXISTS (SELECT 1 FROM \"CollectionItems\" ci JOIN \"Collections\" col ON col.\"Id\" = ci.\"CollectionId\"")
                .Append(" WHERE ci.\"ArtworkId\" = e.\"ArtworkId\" AND ci.\"CollectionId\" = @collection AND col.\"IsPublished\" AND col.\"OwnerId\" IS NULL)");
            parameters.Add(new("collection", collection));
        }

        if (filters.Tag is { } tag)
        {
            And(where).Append("EXISTS (SELECT 1 FROM \"ArtworkTags\" atg JOIN \"Tags\" t ON t.\"Id\" = atg.\"TagId\" WHERE atg.\"ArtworkId\" = e.\"ArtworkId\" AND t.\"Slug\" = @tag AND atg.\"Status\" = 'Accepted')");
            parameters.Add(new("tag", NpgsqlDbType.Text) { Value = tag });
        }
    }

    private static StringBuilder And(StringBuilder where) => where.Length == 0 ? where : where.Append(" AND ");

    private static DbCommand Command(GalleryDbContext db, IDbContextTransaction transaction, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }

    private static string FormatMiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB");

    private sealed record QueryVectors(Vector Style, Vector Content, string EncoderVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Photo search: {Bytes} bytes encoded in {EncodeMs:0} ms, answered in {TotalMs:0} ms with {Count} works")]
    private static partial void LogPhotoSearch(ILogger logger, int bytes, double encodeMs, double totalMs, int count);
}
