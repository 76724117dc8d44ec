using System.Data.Common;
using System.Globalization;
using System.Text;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Search;
using ArtGallery.Engines.Encoding;
using Npgsql;
using Pgvector;

namespace ArtGallery.Core.Recommendations;

/// <summary>The feed's candidate queries: nearest neighbours per interest and the other sources, one round trip each.</summary>
public sealed partial class RecommendationService
{
    /// <summary>
    /// The candidate queries are prepared (Npgsql keeps them per pooled connection) and run under a generic plan.
    /// A custom plan, made afresh for every call, spent as long planning as executing: the planner estimates a
    /// filter on the visitor's seen works (up to 2,000 ids) one element at a time. Generic plans exist only for
    /// prepared statements, so this setting leaves every other query alone.
    /// </summary>
    private const string GenericPlanSql = "SET LOCAL plan_cache_mode = force_generic_plan";

    /// <summary>
    /// <paramref name="column"/> is none of the works in <c>@seen</c>: a hashed subplan, built once per query. The
    /// plain <c>&lt;&gt; ALL(@seen)</c> is hashed only for a constant array, so under a generic plan it would compare
    /// every scanned row with every seen id.
    /// </summary>
    private static string NotSeen(string column) => $"NOT ({column} = ANY (SELECT unnest(@seen)))";

    /// <summary>The artist and first accepted style tag (by name) of the work whose id <paramref name="id"/> names: the same rule as <see cref="RecommendationCatalogue"/>.</summary>
    private static string StyleTagSql(string id) => string.Create(CultureInfo.InvariantCulture, $"""
        (SELECT t."Name" FROM "ArtworkTags" at JOIN "Tags" t ON t."Id" = at."TagId"
         WHERE at."ArtworkId" = {id} AND at."Status" = '{TagStatus.Accepted}' AND t."Vocabulary" = '{TagVocabulary.Style}'
         ORDER BY t."Name" LIMIT 1)
        """);

    private static CandidateRow ReadRow(DbDataReader reader, int id, int artist, int embeddedAt, int tag) =>
        new(reader.GetInt32(id), reader.IsDBNull(artist) ? null : reader.GetInt32(artist), reader.IsDBNull(tag) ? null : reader.GetString(tag), reader.GetDateTime(embeddedAt));

    /// <summary>
    /// Nearest works for several queries in one round trip of HNSW scans (the seen works filtered inside the
    /// iterative scan), each with its artist, style tag and embedding stamp; <c>Query</c> is the index of the query that found it.
    /// </summary>
    private async Task<List<(int Query, CandidateRow Row)>> NeighboursAsync(GalleryDbContext db, List<(SimilarityKind Index, float[] Query, int K)> queries, int[] seen,
        CancellationToken cancellationToken, string? activity = null)
    {
        using var scan = activity is null ? null : Telemetry.StartActivity(activity);
        scan?.SetTag("scans", queries.Count);
        var found = new List<(int, CandidateRow)>();
        if (queries.Count == 0)
        {
            return found;
        }

        var union = new StringBuilder();
        // Candidates are works embedded by the current encoder: the profile's vectors live in its space.
        var parameters = new List<NpgsqlParameter> { new("seen", seen), new("version", StyleEncoder.Version) };
        for (var i = 0; i < queries.Count; i++)
        {
            var (index, query, k) = queries[i];
            parameters.Add(new NpgsqlParameter($"q{i}", new Vector(query)));
            var part = NearestNeighbours.ScanSql(index, string.Create(CultureInfo.InvariantCulture, $"e.\"ArtworkId\", {i} AS q, e.\"CreatedAt\""),
                $"@q{i}", "@version", NotSeen("e.\"ArtworkId\""), k.ToString(CultureInfo.InvariantCulture));
            union.Append(i == 0 ? string.Empty : " UNION ALL ").Append('(').Append(part).Append(')');
        }

        // One round trip: the transaction that scopes the index settings (SET LOCAL), the scans, and its end.
        // The artist and style tag come back with the neighbours, the vectors from the cache (ResolveAsync). Should the
        // scan fail, Npgsql rolls the open transaction back when the connection goes back to the pool. Prepared,
        // with a generic plan (see GenericPlanSql).
        var efSearch = Math.Max(_options.EfSearch, queries.Max(q => q.K));
        var sql = $"""
            BEGIN;
            {NearestNeighbours.IndexSettingsSql(searchOptions.Value, efSearch)};
            {GenericPlanSql};
            SELECT x."ArtworkId", x.q, a."ArtistId", x."CreatedAt", {StyleTagSql("x.\"ArtworkId\"")}
            FROM ({union}) x JOIN "Artworks" a ON a."Id" = x."ArtworkId";
            COMMIT
            """;
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetInt32(1), ReadRow(reader, id: 0, artist: 2, embeddedAt: 3, tag: 4)));
        }

        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return found;
    }

    /// <summary>
    /// The sources other than nearest neighbours, in one round trip, each work with its vectors, in this order:
    /// co-engagement (people who liked or saved one of <paramref name="liked"/>, 50 per work, also liked or saved
    /// these: their newest 50 each), the newest works of followed artists (one index range per artist), and
    /// published collections holding a liked work (the newest published ones while nothing is liked). A work
    /// not embedded yet drops out at the final join (the followed range is read from the artist index alone).
    /// </summary>
    private async Task<List<Sourced>> OtherSourcesAsync(GalleryDbContext db, string visitorKey, int[] liked, int[] artists, int[] seen, CancellationToken cancellationToken)
    {
        using var _ = Telemetry.StartActivity("feed.sources");
        var sql = $"""
            BEGIN;
            {GenericPlanSql};
            WITH co AS (
                SELECT o."ArtworkId" AS id, a.anchor AS via, row_number() OVER (ORDER BY count(*) DESC, o."ArtworkId", a.anchor) AS ord
                FROM unnest(@liked) AS a(anchor)
                CROSS JOIN LATERAL (SELECT DISTINCT p."VisitorKey" FROM "Engagements" p
                                    WHERE p."ArtworkId" = a.anchor AND p."Kind" IN ({(int)EngagementKind.Like}, {(int)EngagementKind.Save}) AND p."VisitorKey" <> @me LIMIT 50) peers
                CROSS JOIN LATERAL (SELECT o."ArtworkId" FROM "Engagements" o
                                    WHERE o."VisitorKey" = peers."VisitorKey" AND o."Kind" IN ({(int)EngagementKind.Like}, {(int)EngagementKind.Save}) ORDER BY o."Id" DESC LIMIT 50) o
                WHERE o."ArtworkId" <> ALL(@liked) AND {NotSeen("o.\"ArtworkId\"")}
                GROUP BY o."ArtworkId", a.anchor
                ORDER BY ord
                LIMIT @co_limit),
            fo AS (
                SELECT w."Id" AS id, w."ArtistId" AS via, row_number() OVER (ORDER BY w."CreatedAt" DESC, w."Id" DESC) AS ord
                FROM unnest(@artists) AS f(artist)
                CROSS JOIN LATERAL (SELECT a."Id", a."ArtistId", a."CreatedAt" FROM "Artworks" a
                                    WHERE a."ArtistId" = f.artist AND {NotSeen("a.\"Id\"")}
                                    ORDER BY a."CreatedAt" DESC, a."Id" DESC LIMIT @fo_limit) w
                ORDER BY ord
                LIMIT @fo_limit),
            col AS (
                SELECT i."ArtworkId" AS id, i."CollectionId" AS via, row_number() OVER (ORDER BY c."UpdatedAt" DESC, c."Id", i."Position") AS ord
                FROM "CollectionItems" i JOIN "Collections" c ON c."Id" = i."CollectionId"
                WHERE c."IsPublished" AND c."OwnerId" IS NULL AND {NotSeen("i.\"ArtworkId\"")}
                  AND (cardinality(@liked) = 0 OR EXISTS (SELECT 1 FROM "CollectionItems" x WHERE x."CollectionId" = c."Id" AND x."ArtworkId" = ANY(@liked)))
                ORDER BY ord
                LIMIT @col_limit)
            SELECT s.src, s.via, s.id, a."ArtistId", e."CreatedAt", {StyleTagSql("s.id")}
            FROM (SELECT 0 AS src, id, via, ord FROM co UNION ALL SELECT 1, id, via, ord FROM fo UNION ALL SELECT 2, id, via, ord FROM col) s
            JOIN "Artworks" a ON a."Id" = s.id JOIN "Embeddings" e ON e."ArtworkId" = s.id
            ORDER BY s.src, s.ord;
            COMMIT
            """;
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new NpgsqlParameter("liked", liked));
        command.Parameters.Add(new NpgsqlParameter("artists", artists));
        command.Parameters.Add(new NpgsqlParameter("seen", seen));
        command.Parameters.Add(new NpgsqlParameter("me", visitorKey));
        command.Parameters.Add(new NpgsqlParameter("co_limit", _options.CoEngagementCandidates));
        command.Parameters.Add(new NpgsqlParameter("fo_limit", _options.FollowedCandidates));
        command.Parameters.Add(new NpgsqlParameter("col_limit", _options.CollectionCandidates));
        await command.PrepareAsync(cancellationToken);
        var found = new List<Sourced>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var source = reader.GetInt32(0) switch { 0 => CandidateSource.CoEngagement, 1 => CandidateSource.FollowedArtist, _ => CandidateSource.Collection };
            found.Add(new Sourced(reader.GetInt32(2), source, reader.GetInt32(1), Row: ReadRow(reader, id: 2, artist: 3, embeddedAt: 4, tag: 5)));
        }

        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return found;
    }
}
