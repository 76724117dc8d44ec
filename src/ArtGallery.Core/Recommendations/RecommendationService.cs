using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Search;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using ArtGallery.Engines.Encoding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;

namespace ArtGallery.Core.Recommendations;

public sealed class RecommendationOptions
{
    public const string Section = "Recommendations";

    /// <summary>Nearest works by style per interest (and per steered-towards style).</summary>
    public int StyleNeighbours { get; set; } = 40;

    /// <summary>Nearest works by content per interest.</summary>
    public int ContentNeighbours { get; set; } = 20;

    /// <summary>The strongest interests that also get a content scan.</summary>
    public int ContentInterests { get; set; } = 1;

    /// <summary>
    /// An interest with less than this share of the profile's weight gets no scan of its own (a few stray likes);
    /// it still scores every candidate the other sources bring. The strongest interest is always scanned.
    /// </summary>
    public double MinScannedShare { get; set; } = 0.15;

    /// <summary>
    /// HNSW candidate list of the feed's scans: candidates are re-ranked anyway, so the last percent of recall
    /// the similar-works strips pay for (64) buys nothing here; at least the largest scan's k.
    /// </summary>
    public int EfSearch { get; set; } = 40;

    /// <summary>The newest events of a visitor the profile reads.</summary>
    public int MaxHistory { get; set; } = 2000;

    public int CoEngagementAnchors { get; set; } = 5;

    public int CoEngagementCandidates { get; set; } = 30;

    public int FollowedCandidates { get; set; } = 30;

    public int TrendingCandidates { get; set; } = 60;

    public int CollectionCandidates { get; set; } = 20;

    public TimeSpan TrendingWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Trending works are shared by every visitor and refreshed this often.</summary>
    public TimeSpan SharedRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The steering directions and each style's typical works average every embedding (seconds of database time at
    /// 100,000 works) and move only when works are embedded or tagged: refreshed this often.
    /// </summary>
    public TimeSpan DirectionsRefresh { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Visitors whose history is kept in memory between feeds.</summary>
    public int CachedVisitors { get; set; } = 10_000;

    /// <summary>
    /// Candidates whose vectors are kept in memory between feeds (<see cref="WorkVectorCache"/>; about 6 KB each,
    /// so 120 MB at the default); 0 reads them from the database every time.
    /// </summary>
    public int CachedWorkVectors { get; set; } = 20_000;
}

/// <summary>One card of the feed: the work, why it is there (from what produced it), and the liked work or source it names.</summary>
public sealed record FeedCard(ArtworkCard Work, FeedReason Reason, string Why, ArtworkCard? BecauseOf, string? SourceName);

public sealed record Feed(IReadOnlyList<FeedCard> Cards, bool Personalised, IReadOnlyList<string> Styles);

/// <summary>
/// The "For you" feed: the visitor's taste profile from their events, candidates from pgvector nearest
/// neighbours per interest, co-engagement, followed artists, published collections and trending works, then
/// <see cref="FeedRanker"/> (steering, MMR, caps) and an explanation per card.
/// </summary>
public sealed class RecommendationService(
    IDbContextFactory<GalleryDbContext> contextFactory,
    VisitorHistoryCache histories,
    WorkVectorCache vectorCache,
    IOptions<RecommendationOptions> options,
    IOptions<SearchOptions> searchOptions,
    TimeProvider clock) : IDisposable
{
    private readonly RecommendationOptions _options = options.Value;
    private readonly SemaphoreSlim _sharedLock = new(1, 1);
    private volatile Shared? _shared;
    private int _refreshing;

    /// <summary>
    /// One activity per feed phase (<c>feed.history</c>, <c>feed.neighbours</c>, …): free without a listener;
    /// <c>bench recs</c> listens to print where a feed's time goes, and OpenTelemetry can export them.
    /// </summary>
    public const string TelemetryName = "ArtGallery.Recommendations";

    public static readonly ActivitySource Telemetry = new(TelemetryName);

    /// <summary>Works closest to each style's centre kept for every feed (a new visitor's first page; variety later).</summary>
    private const int TypicalPerStyle = 8;

    private sealed record Shared(DateTimeOffset At, IReadOnlyDictionary<int, double> Trending, IReadOnlyList<WorkVectors> TrendingWorks,
        DateTimeOffset DirectionsAt, SteeringDirections Directions, IReadOnlyList<string> Styles, IReadOnlyList<WorkVectors> Typical);

    public async Task<Feed> GetFeedAsync(string? visitorKey, FeedSteering? steering = null, int count = 24, CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > 200)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A feed has 1 to 200 cards.");
        }

        steering ??= new FeedSteering();
        using var feedActivity = Telemetry.StartActivity("feed");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var shared = await GetSharedAsync(db, cancellationToken);
        VisitorEvents history;
        using (Telemetry.StartActivity("feed.history"))
        {
            history = visitorKey is null ? VisitorHistoryCache.Empty : await histories.GetAsync(db, visitorKey, _options.MaxHistory, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var profileActivity = Telemetry.StartActivity("feed.profile");
        var profile = TasteProfile.Build(history.Events, history.Works, now);
        var state = VisitorState.Fold(history.Raw);
        profileActivity?.Dispose();

        var sourced = await CandidatesAsync(db, visitorKey ?? string.Empty, profile, state, steering, shared, cancellationToken);
        var vectorsActivity = Telemetry.StartActivity("feed.vectors");
        // A candidate query's row names the embedding as it is now; the shared works' vectors may be minutes old.
        var vectors = new Dictionary<int, WorkVectors>();
        await ResolveAsync(db, sourced.Select(s => s.Row).OfType<CandidateRow>(), vectors, cancellationToken);
        foreach (var s in sourced)
        {
            if (s.Vectors is { } v)
            {
                vectors.TryAdd(s.Id, v);
            }
        }

        vectorsActivity?.Dispose();
        var rankActivity = Telemetry.StartActivity("feed.rank");
        var maxTrend = shared.Trending.Values.DefaultIfEmpty(1).Max();
        var candidates = sourced.Where(s => vectors.ContainsKey(s.Id))
            .Select(s => new FeedCandidate(vectors[s.Id], s.Source, s.Via, shared.Trending.GetValueOrDefault(s.Id) / maxTrend)).ToList();
        var ranked = FeedRanker.Rank(profile, candidates, new FeedOptions { Count = count }, steering, shared.Directions);
        rankActivity?.Dispose();
        using var cardsActivity = Telemetry.StartActivity("feed.cards");

        var anchorIds = ranked.Where(r => r.Reason.Source is CandidateSource.Interest or CandidateSource.CoEngagement).Select(r => r.Reason.BecauseOf).OfType<int>();
        var ids = ranked.Select(r => r.ArtworkId).Concat(anchorIds).Distinct().ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        var collectionIds = ranked.Where(r => r.Reason.Source == CandidateSource.Collection).Select(r => r.Reason.BecauseOf).OfType<int>().ToList();
        var collections = collectionIds.Count == 0 ? new Dictionary<int, string>()
            : await db.Collections.Where(c => collectionIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);

        var feed = new List<FeedCard>();
        foreach (var item in ranked)
        {
            if (!cards.TryGetValue(item.ArtworkId, out var work))
            {
                continue; // deleted between the queries
            }

            ArtworkCard? anchor = null;
            string? sourceName = null;
            switch (item.Reason.Source)
            {
                case CandidateSource.Interest or CandidateSource.CoEngagement when item.Reason.BecauseOf is { } a:
                    anchor = cards.GetValueOrDefault(a);
                    break;
                case CandidateSource.FollowedArtist:
                    sourceName = work.ArtistName;
                    break;
                case CandidateSource.Collection when item.Reason.BecauseOf is { } c:
                    sourceName = collections.GetValueOrDefault(c);
                    break;
            }

            feed.Add(new FeedCard(work, item.Reason, FeedExplanation.Describe(item.Reason, anchor?.Title, sourceName), anchor, sourceName));
        }

        return new Feed(feed, !profile.IsEmpty, shared.Styles);
    }

    /// <summary>
    /// A candidate and what proposed it: with its vectors (shared trending and typical works), or with the row a
    /// candidate query returned, whose vectors <see cref="ResolveAsync"/> finds.
    /// </summary>
    private sealed record Sourced(int Id, CandidateSource Source, int? Via, WorkVectors? Vectors = null, CandidateRow? Row = null);

    /// <summary>What the candidate queries return of a work: its artist, style tag and the stamp of its embedding.</summary>
    private sealed record CandidateRow(int ArtworkId, int? ArtistId, string? Style, DateTime EmbeddedAt);

    /// <summary>
    /// The vectors of <paramref name="rows"/> (those not in <paramref name="vectors"/> yet) into it: from
    /// <see cref="WorkVectorCache"/> where it holds that embedding, the rest in one query, which fills the cache.
    /// A work whose embedding was deleted in between drops out.
    /// </summary>
    private async Task ResolveAsync(GalleryDbContext db, IEnumerable<CandidateRow> rows, Dictionary<int, WorkVectors> vectors, CancellationToken cancellationToken)
    {
        var misses = new Dictionary<int, CandidateRow>();
        foreach (var row in rows)
        {
            if (vectors.ContainsKey(row.ArtworkId) || misses.ContainsKey(row.ArtworkId))
            {
                continue;
            }

            if (vectorCache.TryGet(row.ArtworkId, row.EmbeddedAt, out var cached))
            {
                vectors[row.ArtworkId] = new WorkVectors(row.ArtworkId, row.ArtistId, row.Style, cached!.Style, cached.Content);
            }
            else
            {
                misses[row.ArtworkId] = row;
            }
        }

        if (misses.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = """SELECT "ArtworkId", "CreatedAt", "Style", "Content" FROM "Embeddings" WHERE "ArtworkId" = ANY(@ids)""";
        command.Parameters.Add(new NpgsqlParameter("ids", misses.Keys.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = misses[reader.GetInt32(0)];
            var entry = new WorkVectorCache.Entry(reader.GetDateTime(1),
                RecommendationCatalogue.Unit(reader.GetFieldValue<Vector>(2).ToArray()), RecommendationCatalogue.Unit(reader.GetFieldValue<Vector>(3).ToArray()));
            vectorCache.Set(row.ArtworkId, entry);
            vectors[row.ArtworkId] = new WorkVectors(row.ArtworkId, row.ArtistId, row.Style, entry.Style, entry.Content);
        }
    }

    private async Task<List<Sourced>> CandidatesAsync(GalleryDbContext db, string visitorKey, TasteProfile profile, VisitorState state, FeedSteering steering, Shared shared, CancellationToken cancellationToken)
    {
        var seen = profile.Seen.ToArray();
        var queries = new List<(SimilarityKind Index, float[] Query, int K)>();
        var sources = new List<CandidateSource>();
        var totalWeight = profile.Interests.Sum(i => i.Weight);
        for (var i = 0; i < profile.Interests.Count; i++)
        {
            var interest = profile.Interests[i];
            if (i > 0 && interest.Weight < _options.MinScannedShare * totalWeight)
            {
                break; // strongest first: the rest are weaker still
            }

            queries.Add((SimilarityKind.Style, FeedRanker.Steer(interest.Style, steering, shared.Directions), _options.StyleNeighbours));
            sources.Add(CandidateSource.Interest);
            if (i < _options.ContentInterests)
            {
                queries.Add((SimilarityKind.Content, interest.Content, _options.ContentNeighbours));
                sources.Add(CandidateSource.Interest);
            }
        }

        // "More of this style" must be able to bring in works no interest is near.
        foreach (var (style, centre) in shared.Directions.StyleCentres)
        {
            var more = steering.Styles.GetValueOrDefault(style);
            if (more > 0)
            {
                // At full strength the style fills most of the feed: as many of its works as an interest gets.
                queries.Add((SimilarityKind.Style, centre, (int)Math.Ceiling(_options.StyleNeighbours * Math.Clamp(more, 0.5, 1))));
                sources.Add(CandidateSource.Explore);
            }
        }

        // The nearest-neighbour scans, then the other sources, on one connection. They are independent, and ran side
        // by side on two until the queries stopped returning vectors (WorkVectorCache) and planning (generic plans):
        // since then the second backend only competed for the same cores, and one connection is also half the pool.
        var liked = state.Liked.Concat(state.Saved).Distinct().Take(_options.CoEngagementAnchors).ToArray();
        var neighbours = await NeighboursAsync(db, queries, seen, cancellationToken, "feed.neighbours");
        var side = await OtherSourcesAsync(db, visitorKey, liked, [.. state.Following], seen, cancellationToken);
        var found = neighbours.Select(n => new Sourced(n.Row.ArtworkId, sources[n.Query], null, Row: n.Row)).ToList();

        // Typical works of every style: the first page of a new visitor, and material for variety later.
        found.AddRange(shared.Typical.Where(w => !profile.Seen.Contains(w.ArtworkId)).Select(w => new Sourced(w.ArtworkId, CandidateSource.Explore, null, w)));
        found.AddRange(side);
        found.AddRange(shared.TrendingWorks.Where(w => !profile.Seen.Contains(w.ArtworkId)).Select(w => new Sourced(w.ArtworkId, CandidateSource.Trending, null, w)));
        return found;
    }

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

    /// <summary>
    /// Trending works and steering directions, shared by every visitor. Only the first feed waits for them; after
    /// that a stale copy is served while one background refresh reads the new one.
    /// </summary>
    private async Task<Shared> GetSharedAsync(GalleryDbContext db, CancellationToken cancellationToken)
    {
        if (_shared is { } current)
        {
            if (clock.GetUtcNow() - current.At >= _options.SharedRefresh && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await using var own = await contextFactory.CreateDbContextAsync();
                        _shared = await ReadSharedAsync(own, current, CancellationToken.None);
                    }
                    catch (Exception ex) when (ex is DbException or InvalidOperationException)
                    {
                        // Keep serving the copy we have; the next feed after SharedRefresh tries again.
                    }
                    finally
                    {
                        Volatile.Write(ref _refreshing, 0);
                    }
                }, CancellationToken.None);
            }

            return current;
        }

        await _sharedLock.WaitAsync(cancellationToken);
        try
        {
            return _shared ??= await ReadSharedAsync(db, previous: null, cancellationToken);
        }
        finally
        {
            _sharedLock.Release();
        }
    }

    private async Task<Shared> ReadSharedAsync(GalleryDbContext db, Shared? previous, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now - _options.TrendingWindow;
        var trending = await db.Engagements.Where(e => e.At >= since && e.ArtworkId != null
                && (e.Kind == EngagementKind.Like || e.Kind == EngagementKind.Save || e.Kind == EngagementKind.View))
            .GroupBy(e => e.ArtworkId!.Value)
            .Select(g => new { Id = g.Key, Score = g.Sum(e => e.Kind == EngagementKind.View ? 1.0 : 3.0) })
            .OrderByDescending(g => g.Score).ThenBy(g => g.Id).Take(_options.TrendingCandidates)
            .ToDictionaryAsync(g => g.Id, g => g.Score, cancellationToken);
        var trendingWorks = await RecommendationCatalogue.LoadAsync(db, trending.Keys, cancellationToken);
        if (previous is not null && now - previous.DirectionsAt < _options.DirectionsRefresh)
        {
            return previous with { At = now, Trending = trending, TrendingWorks = trendingWorks };
        }

        var directions = await SteeringDirectionsLoader.LoadAsync(db, cancellationToken);
        var typical = await NeighboursAsync(db, [.. directions.StyleCentres.Values.Select(c => (SimilarityKind.Style, c, TypicalPerStyle))], [], cancellationToken);
        var typicalVectors = new Dictionary<int, WorkVectors>();
        await ResolveAsync(db, typical.Select(t => t.Row), typicalVectors, cancellationToken);
        return new Shared(now, trending, trendingWorks, now, directions, [.. directions.StyleCentres.Keys.Order(StringComparer.Ordinal)],
            [.. typical.Select(t => typicalVectors.GetValueOrDefault(t.Row.ArtworkId)).OfType<WorkVectors>()]);
    }

    public void Dispose() => _sharedLock.Dispose();
}
