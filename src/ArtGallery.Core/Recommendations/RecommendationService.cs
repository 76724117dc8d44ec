using System.Collections.Concurrent;
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
    private Shared? _shared;

    private sealed record Shared(DateTimeOffset At, IReadOnlyDictionary<int, double> Trending, SteeringDirections Directions, IReadOnlyList<string> Styles);

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
        var vectors = (await RecommendationCatalogue.LoadAsync(db, [.. sourced.Select(s => s.Id).Distinct()], cancellationToken)).ToDictionary(w => w.ArtworkId);
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

    private sealed record Sourced(int Id, CandidateSource Source, int? Via);

    private async Task<List<Sourced>> CandidatesAsync(GalleryDbContext db, string visitorKey, TasteProfile profile, VisitorState state, FeedSteering steering, Shared shared, CancellationToken cancellationToken)
    {
        var seen = profile.Seen.ToArray();
        var sql = new StringBuilder();
        var parameters = new List<NpgsqlParameter> { new("seen", seen) };
        var sources = new List<(CandidateSource Source, int? Via)>();
        void Knn(string column, float[] query, int k, CandidateSource source, int? via)
        {
            var i = sources.Count;
            sources.Add((source, via));
            parameters.Add(new NpgsqlParameter($"q{i}", new Vector(query)));
            sql.Append(sql.Length == 0 ? string.Empty : " UNION ALL ").Append(CultureInfo.InvariantCulture,
                $"(SELECT e.\"ArtworkId\", {i} AS q FROM \"Embeddings\" e WHERE NOT (e.\"ArtworkId\" = ANY(@seen)) ORDER BY e.\"{column}\" <=> @q{i} LIMIT {k})");
        }

        foreach (var interest in profile.Interests)
        {
            Knn("Style", FeedRanker.Steer(interest.Style, steering, shared.Directions), _options.StyleNeighbours, CandidateSource.Interest, null);
            Knn("Content", interest.Content, _options.ContentNeighbours, CandidateSource.Interest, null);
        }

        // "More of this style" must be able to bring in works no interest is near; with no history at all,
        // a few works of every style make an even first page.
        foreach (var (style, centre) in shared.Directions.StyleCentres)
        {
            if (steering.Styles.GetValueOrDefault(style) > 0 || profile.IsEmpty)
            {
                Knn("Style", centre, profile.IsEmpty ? 8 : _options.StyleNeighbours / 2, CandidateSource.Explore, null);
            }
        }

        var found = new List<Sourced>();
        if (sql.Length > 0)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await using (var settings = Command(db, transaction, SimilarSearchService.IndexSettingsSql(searchOptions.Value)))
            {
                await settings.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = Command(db, transaction, sql.ToString());
            command.Parameters.AddRange(parameters.ToArray());
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var (source, via) = sources[reader.GetInt32(1)];
                    found.Add(new Sourced(reader.GetInt32(0), source, via));
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

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

    private async Task<Shared> GetSharedAsync(GalleryDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_shared is { } current && now - current.At < _options.SharedRefresh)
        {
            return current;
        }

        await _sharedLock.WaitAsync(cancellationToken);
        try
        {
            if (_shared is { } again && now - again.At < _options.SharedRefresh)
            {
                return again;
            }

            var since = now - _options.TrendingWindow;
            var trending = await db.Engagements.Where(e => e.At >= since && e.ArtworkId != null
                    && (e.Kind == EngagementKind.Like || e.Kind == EngagementKind.Save || e.Kind == EngagementKind.View))
                .GroupBy(e => e.ArtworkId!.Value)
                .Select(g => new { Id = g.Key, Score = g.Sum(e => e.Kind == EngagementKind.View ? 1.0 : 3.0) })
                .OrderByDescending(g => g.Score).ThenBy(g => g.Id).Take(_options.TrendingCandidates)
                .ToDictionaryAsync(g => g.Id, g => g.Score, cancellationToken);
            var directions = await SteeringDirectionsLoader.LoadAsync(db, cancellationToken);
            _shared = new Shared(now, trending, directions, [.. directions.StyleCentres.Keys.Order(StringComparer.Ordinal)]);
            return _shared;
        }
        finally
        {
            _sharedLock.Release();
        }
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
