using System.Data.Common;
using System.Globalization;
using System.Text;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Search;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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

    /// <summary>The newest events of a visitor the profile reads.</summary>
    public int MaxHistory { get; set; } = 2000;

    public int CoEngagementAnchors { get; set; } = 5;

    public int CoEngagementCandidates { get; set; } = 30;

    public int FollowedCandidates { get; set; } = 30;

    public int TrendingCandidates { get; set; } = 60;

    public int CollectionCandidates { get; set; } = 20;

    public TimeSpan TrendingWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Trending works and the steering directions are shared by every visitor and refreshed this often.</summary>
    public TimeSpan SharedRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Visitors whose history is kept in memory between feeds.</summary>
    public int CachedVisitors { get; set; } = 10_000;
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
    IOptions<RecommendationOptions> options,
    IOptions<SearchOptions> searchOptions,
    TimeProvider clock) : IDisposable
{
    private readonly RecommendationOptions _options = options.Value;
    private readonly SemaphoreSlim _sharedLock = new(1, 1);
    private volatile Shared? _shared;
    private int _refreshing;

    /// <summary>Works closest to each style's centre kept for every feed (a new visitor's first page; variety later).</summary>
    private const int TypicalPerStyle = 8;

    private sealed record Shared(DateTimeOffset At, IReadOnlyDictionary<int, double> Trending, SteeringDirections Directions, IReadOnlyList<string> Styles, IReadOnlyList<WorkVectors> Typical);

    public async Task<Feed> GetFeedAsync(string? visitorKey, FeedSteering? steering = null, int count = 24, CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > 200)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A feed has 1 to 200 cards.");
        }

        steering ??= new FeedSteering();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var shared = await GetSharedAsync(db, cancellationToken);
        var history = visitorKey is null ? VisitorHistoryCache.Empty : await histories.GetAsync(db, visitorKey, _options.MaxHistory, cancellationToken);
        var now = clock.GetUtcNow();
        var profile = TasteProfile.Build(history.Events, history.Works, now);
        var state = VisitorState.Fold(history.Raw);

        var sourced = await CandidatesAsync(db, visitorKey ?? string.Empty, profile, state, steering, shared, cancellationToken);
        var vectors = new Dictionary<int, WorkVectors>();
        foreach (var s in sourced)
        {
            if (s.Vectors is { } v)
            {
                vectors[s.Id] = v;
            }
        }

        var rest = sourced.Where(s => !vectors.ContainsKey(s.Id)).Select(s => s.Id).Distinct().ToList();
        foreach (var w in await RecommendationCatalogue.LoadAsync(db, rest, cancellationToken))
        {
            vectors[w.ArtworkId] = w;
        }

        var maxTrend = shared.Trending.Values.DefaultIfEmpty(1).Max();
        var candidates = sourced.Where(s => vectors.ContainsKey(s.Id))
            .Select(s => new FeedCandidate(vectors[s.Id], s.Source, s.Via, shared.Trending.GetValueOrDefault(s.Id) / maxTrend)).ToList();
        var ranked = FeedRanker.Rank(profile, candidates, new FeedOptions { Count = count }, steering, shared.Directions);

        var anchorIds = ranked.Where(r => r.Reason.Source is CandidateSource.Interest or CandidateSource.CoEngagement).Select(r => r.Reason.BecauseOf).OfType<int>();
        var ids = ranked.Select(r => r.ArtworkId).Concat(anchorIds).Distinct().ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        var collectionIds = ranked.Where(r => r.Reason.Source == CandidateSource.Collection).Select(r => r.Reason.BecauseOf).OfType<int>().ToList();
        var collections = await db.Collections.Where(c => collectionIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);

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

    /// <summary>A candidate and what proposed it; nearest-neighbour candidates arrive with their vectors.</summary>
    private sealed record Sourced(int Id, CandidateSource Source, int? Via, WorkVectors? Vectors = null);

    private async Task<List<Sourced>> CandidatesAsync(GalleryDbContext db, string visitorKey, TasteProfile profile, VisitorState state, FeedSteering steering, Shared shared, CancellationToken cancellationToken)
    {
        var seen = profile.Seen.ToArray();
        var queries = new List<(string Column, float[] Query, int K)>();
        var sources = new List<CandidateSource>();
        foreach (var interest in profile.Interests)
        {
            queries.Add(("Style", FeedRanker.Steer(interest.Style, steering, shared.Directions), _options.StyleNeighbours));
            queries.Add(("Content", interest.Content, _options.ContentNeighbours));
            sources.AddRange([CandidateSource.Interest, CandidateSource.Interest]);
        }

        // "More of this style" must be able to bring in works no interest is near.
        foreach (var (style, centre) in shared.Directions.StyleCentres)
        {
            if (steering.Styles.GetValueOrDefault(style) > 0)
            {
                queries.Add(("Style", centre, _options.StyleNeighbours / 2));
                sources.Add(CandidateSource.Explore);
            }
        }

        var found = (await NeighboursAsync(db, queries, seen, cancellationToken)).Select(n => new Sourced(n.Work.ArtworkId, sources[n.Query], null, n.Work)).ToList();

        // Typical works of every style: the first page of a new visitor, and material for variety later.
        found.AddRange(shared.Typical.Where(w => !profile.Seen.Contains(w.ArtworkId)).Select(w => new Sourced(w.ArtworkId, CandidateSource.Explore, null, w)));

        var seenSet = profile.Seen;
        var liked = state.Liked.Concat(state.Saved).Distinct().Take(_options.CoEngagementAnchors).ToArray();
        if (liked.Length > 0)
        {
            found.AddRange((await CoEngagedAsync(db, visitorKey, liked, cancellationToken)).Where(c => !seenSet.Contains(c.Id)));
        }

        if (state.Following.Count > 0)
        {
            var artists = state.Following.ToList();
            var works = await db.Artworks.Where(a => a.ArtistId != null && artists.Contains(a.ArtistId.Value) && a.Embedding != null && !seen.Contains(a.Id))
                .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(_options.FollowedCandidates)
                .Select(a => new { a.Id, a.ArtistId }).ToListAsync(cancellationToken);
            found.AddRange(works.Select(w => new Sourced(w.Id, CandidateSource.FollowedArtist, w.ArtistId)));
        }

        // Published collections holding a work the visitor liked, or the newest published ones to start with.
        var collectionWorks = await db.CollectionItems
            .Where(i => i.Collection!.IsPublished && i.Collection.OwnerId == null && (liked.Length == 0 || i.Collection.Items.Any(x => liked.Contains(x.ArtworkId))))
            .Where(i => !seen.Contains(i.ArtworkId))
            .OrderByDescending(i => i.Collection!.UpdatedAt).ThenBy(i => i.Position).Take(_options.CollectionCandidates)
            .Select(i => new { i.ArtworkId, i.CollectionId }).ToListAsync(cancellationToken);
        found.AddRange(collectionWorks.Select(w => new Sourced(w.ArtworkId, CandidateSource.Collection, w.CollectionId)));
        found.AddRange(shared.Trending.Keys.Where(id => !seenSet.Contains(id)).Select(id => new Sourced(id, CandidateSource.Trending, null)));
        return found;
    }

    /// <summary>
    /// Nearest works for several queries in one round trip of HNSW scans (the seen works filtered inside the
    /// iterative scan), each with its vectors, artist and style tag; <c>Query</c> is the index of the query that found it.
    /// </summary>
    private async Task<List<(int Query, WorkVectors Work)>> NeighboursAsync(GalleryDbContext db, List<(string Column, float[] Query, int K)> queries, int[] seen, CancellationToken cancellationToken)
    {
        var found = new List<(int, WorkVectors)>();
        if (queries.Count == 0)
        {
            return found;
        }

        var union = new StringBuilder();
        var parameters = new List<NpgsqlParameter> { new("seen", seen) };
        for (var i = 0; i < queries.Count; i++)
        {
            var (column, query, k) = queries[i];
            parameters.Add(new NpgsqlParameter($"q{i}", new Vector(query)));
            union.Append(i == 0 ? string.Empty : " UNION ALL ").Append(CultureInfo.InvariantCulture,
                $"(SELECT e.\"ArtworkId\", {i} AS q, e.\"Style\", e.\"Content\" FROM \"Embeddings\" e WHERE NOT (e.\"ArtworkId\" = ANY(@seen)) ORDER BY e.\"{column}\" <=> @q{i} LIMIT {k})");
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using (var settings = Command(db, transaction, SimilarSearchService.IndexSettingsSql(searchOptions.Value)))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        // The vectors, artist and style tag come back with the neighbours: no second query for them.
        var sql = string.Create(CultureInfo.InvariantCulture, $"""
            SELECT x."ArtworkId", x.q, a."ArtistId", x."Style", x."Content",
                   (SELECT t."Name" FROM "ArtworkTags" at JOIN "Tags" t ON t."Id" = at."TagId"
                    WHERE at."ArtworkId" = x."ArtworkId" AND at."Status" = '{TagStatus.Accepted}' AND t."Vocabulary" = '{TagVocabulary.Style}'
                    ORDER BY t."Name" LIMIT 1)
            FROM ({union}) x JOIN "Artworks" a ON a."Id" = x."ArtworkId"
            """);
        await using var command = Command(db, transaction, sql);
        command.Parameters.AddRange(parameters.ToArray());
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var work = new WorkVectors(reader.GetInt32(0), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(5) ? null : reader.GetString(5),
                    RecommendationCatalogue.Unit(reader.GetFieldValue<Vector>(3).ToArray()), RecommendationCatalogue.Unit(reader.GetFieldValue<Vector>(4).ToArray()));
                found.Add((reader.GetInt32(1), work));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return found;
    }

    /// <summary>People who liked or saved one of these works also liked or saved these (their newest 50 each, 50 people per work).</summary>
    private async Task<List<Sourced>> CoEngagedAsync(GalleryDbContext db, string visitorKey, int[] anchors, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT o."ArtworkId", a.anchor, count(*) AS n
            FROM unnest(@anchors) AS a(anchor)
            CROSS JOIN LATERAL (SELECT DISTINCT p."VisitorKey" FROM "Engagements" p
                                WHERE p."ArtworkId" = a.anchor AND p."Kind" IN (1, 3) AND p."VisitorKey" <> @me LIMIT 50) peers
            CROSS JOIN LATERAL (SELECT o."ArtworkId" FROM "Engagements" o
                                WHERE o."VisitorKey" = peers."VisitorKey" AND o."Kind" IN (1, 3) ORDER BY o."Id" DESC LIMIT 50) o
            WHERE o."ArtworkId" <> ALL(@anchors)
            GROUP BY o."ArtworkId", a.anchor
            ORDER BY n DESC, o."ArtworkId"
            LIMIT @limit
            """;
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new NpgsqlParameter("anchors", anchors));
        command.Parameters.Add(new NpgsqlParameter("me", visitorKey));
        command.Parameters.Add(new NpgsqlParameter("limit", _options.CoEngagementCandidates));
        var found = new List<Sourced>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new Sourced(reader.GetInt32(0), CandidateSource.CoEngagement, reader.GetInt32(1)));
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
                        _shared = await ReadSharedAsync(own, CancellationToken.None);
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
            return _shared ??= await ReadSharedAsync(db, cancellationToken);
        }
        finally
        {
            _sharedLock.Release();
        }
    }

    private async Task<Shared> ReadSharedAsync(GalleryDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now - _options.TrendingWindow;
        var trending = await db.Engagements.Where(e => e.At >= since && e.ArtworkId != null
                && (e.Kind == EngagementKind.Like || e.Kind == EngagementKind.Save || e.Kind == EngagementKind.View))
            .GroupBy(e => e.ArtworkId!.Value)
            .Select(g => new { Id = g.Key, Score = g.Sum(e => e.Kind == EngagementKind.View ? 1.0 : 3.0) })
            .OrderByDescending(g => g.Score).ThenBy(g => g.Id).Take(_options.TrendingCandidates)
            .ToDictionaryAsync(g => g.Id, g => g.Score, cancellationToken);
        var directions = await SteeringDirectionsLoader.LoadAsync(db, cancellationToken);
        var typical = await NeighboursAsync(db, [.. directions.StyleCentres.Values.Select(c => ("Style", c, TypicalPerStyle))], [], cancellationToken);
        return new Shared(now, trending, directions, [.. directions.StyleCentres.Keys.Order(StringComparer.Ordinal)], [.. typical.Select(t => t.Work)]);
    }

    public void Dispose() => _sharedLock.Dispose();

    private static DbCommand Command(GalleryDbContext db, IDbContextTransaction transaction, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }
}
