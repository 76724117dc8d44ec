using System.Diagnostics;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Search;
using Npgsql;
using Pgvector;

namespace ArtGallery.Core.Recommendations;

/// <summary>One card of the feed: the work, why it is there (from what produced it), and the liked work or source it names.</summary>
public sealed record FeedCard(ArtworkCard Work, FeedReason Reason, string Why, ArtworkCard? BecauseOf, string? SourceName);

public sealed record Feed(IReadOnlyList<FeedCard> Cards, bool Personalised, IReadOnlyList<string> Styles);

/// <summary>
/// The "For you" feed: the visitor's taste profile from their events, candidates from pgvector nearest
/// neighbours per interest, co-engagement, followed artists, published collections and trending works, then
/// <see cref="FeedRanker"/> (steering, MMR, caps) and an explanation per card.
/// </summary>
public sealed partial class RecommendationService(
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

    public void Dispose() => _sharedLock.Dispose();
}
