using System.Globalization;
using ArtGallery.Core.Gallery;
using Microsoft.EntityFrameworkCore.Storage;
using Pgvector;

namespace ArtGallery.Core.Search;

/// <summary>
/// The one nearest-neighbour query over the works' embeddings: every caller (the artwork page strips,
/// find similar, search by photo, the "For you" feed) scans through here, so the index settings
/// (HNSW ef_search, iterative scan), the encoder-version filter and the distance (cosine,
/// <c>&lt;=&gt;</c>) are decided in one place.
/// </summary>
public static class NearestNeighbours
{
    /// <summary>HNSW candidate list size unless a caller asks for another (pgvector's default is 40).</summary>
    public const int DefaultEfSearch = 64;

    /// <summary>
    /// The session settings every scan runs under (SET LOCAL: this transaction only);
    /// <paramref name="efSearch"/> overrides <see cref="SearchOptions.EfSearch"/>.
    /// </summary>
    public static string IndexSettingsSql(SearchOptions options, int? efSearch = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var iterative = options.IterativeScan switch
        {
            "strict_order" => "strict_order",
            "off" => "off",
            _ => "relaxed_order",
        };

        // Always the HNSW index: enable_seqscan and enable_sort off leave the planner no cheaper way
        // than the index's own order, also for a 600-work demo where sorting a filtered set would
        // win; results (approximate, ef_search) then behave the same at 600 works as at a million.
        // Filters then apply to the index scan's output, and the iterative scan keeps walking the
        // graph until LIMIT rows got through them (or max_scan_tuples): without it, HNSW stops after
        // ef_search candidates and a 10 % filter leaves a page about 10 % full. The disabled plan
        // types inflate the cost estimate past jit_above_cost, and JIT-compiling a few-ms index
        // query costs ~250 ms: jit off.
        return string.Create(CultureInfo.InvariantCulture,
            $"SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL jit = off; SET LOCAL hnsw.ef_search = {Math.Clamp(efSearch ?? options.EfSearch, 1, 1000)}; SET LOCAL hnsw.iterative_scan = {iterative}; SET LOCAL hnsw.max_scan_tuples = {Math.Max(1, options.MaxScanTuples)}");
    }

    /// <summary>
    /// One index scan: <paramref name="select"/> from <c>"Embeddings" e</c> of the works embedded by
    /// the encoder version in <paramref name="versionParameter"/> that pass <paramref name="where"/>,
    /// nearest first by cosine distance of <paramref name="index"/>'s column to <paramref name="queryParameter"/>.
    /// </summary>
    /// <remarks>
    /// Only vectors of one encoder version are comparable: while a new encoder re-embeds the
    /// collection, works still on the old one are left out rather than ranked in a foreign space.
    /// </remarks>
    public static string ScanSql(SimilarityKind index, string select, string queryParameter, string versionParameter, string? where, string limit) =>
        $"SELECT {select} FROM \"Embeddings\" e WHERE e.\"EncoderVersion\" = {versionParameter}{(where is null ? string.Empty : " AND " + where)} ORDER BY {Distance(index, queryParameter)} LIMIT {limit}";

    /// <summary>The cosine distance of <paramref name="index"/>'s column of <c>e</c> to <paramref name="queryParameter"/>.</summary>
    public static string Distance(SimilarityKind index, string queryParameter) =>
        $"e.\"{(index == SimilarityKind.Style ? "Style" : "Content")}\" <=> {queryParameter}";

    /// <summary>
    /// The <paramref name="count"/> works nearest <paramref name="query"/> by <paramref name="index"/>
    /// among those embedded by <paramref name="encoderVersion"/>, never <paramref name="excludeId"/>,
    /// nearest first, each with its cosine distance.
    /// </summary>
    public static async Task<IReadOnlyList<Neighbour>> NearestAsync(GalleryDbContext db, SearchOptions options, SimilarityKind index, Vector query,
        string encoderVersion, int? excludeId, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);

        // MATERIALIZED keeps the index scan (ORDER BY distance LIMIT n) whole; the outer ORDER BY puts
        // relaxed_order's slightly shuffled output back in order.
        var scan = ScanSql(index, $"e.\"ArtworkId\", {Distance(index, "@query")} AS distance", "@query", "@version",
            excludeId is null ? null : "e.\"ArtworkId\" <> @exclude", "@limit");
        var sql = $"WITH nearest AS MATERIALIZED ({scan}) SELECT \"ArtworkId\", distance FROM nearest ORDER BY distance, \"ArtworkId\"";
        var found = new List<Neighbour>(count);

        // The transaction scopes the index settings (SET LOCAL) and keeps the connection open for the scan.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using (var settings = db.Database.GetDbConnection().CreateCommand())
        {
            settings.Transaction = transaction.GetDbTransaction();
            settings.CommandText = IndexSettingsSql(options);
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = sql;
            command.Parameters.Add(new Npgsql.NpgsqlParameter("query", query));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("version", encoderVersion));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("limit", count));
            if (excludeId is { } exclude)
            {
                command.Parameters.Add(new Npgsql.NpgsqlParameter("exclude", exclude));
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(new Neighbour(reader.GetInt32(0), reader.GetDouble(1)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return found;
    }
}

/// <summary>A work found by <see cref="NearestNeighbours"/> and its cosine distance to the query.</summary>
public readonly record struct Neighbour(int ArtworkId, double Distance);
