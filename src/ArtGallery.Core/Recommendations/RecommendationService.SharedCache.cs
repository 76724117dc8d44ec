using System.Data.Common;
using ArtGallery.Core.Gallery;

namespace ArtGallery.Core.Recommendations;

/// <summary>What every visitor's feed shares (trending works, steering directions, each style's typical works), cached and refreshed in the background.</summary>
public sealed partial class RecommendationService
{
    /// <summary>Works closest to each style's centre kept for every feed (a new visitor's first page; variety later).</summary>
    private const int TypicalPerStyle = 8;

    private sealed record Shared(DateTimeOffset At, IReadOnlyDictionary<int, double> Trending, IReadOnlyList<WorkVectors> TrendingWorks,
        DateTimeOffset DirectionsAt, SteeringDirections Directions, IReadOnlyList<string> Styles, IReadOnlyList<WorkVectors> Typical);

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
}
