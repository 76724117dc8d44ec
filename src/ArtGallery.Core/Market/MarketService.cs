using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using ArtGallery.Core.Accounts;
using Pgvector;
using Pgvector.EntityFrameworkCore;

namespace ArtGallery.Core.Market;

/// <summary>
/// What signed-in users read of the market: sales, indices, forecasts and valuations. Models are fitted
/// once per state of the market data (the newest <c>MarketAudits</c> id and the newest sale id fingerprint
/// it) and kept until a change.
/// </summary>
public sealed class MarketService(IDbContextFactory<GalleryDbContext> contextFactory, CallerVerifier callers)
{
    private const int ForecastYears = 3;
    private const int ComparableCount = 5;
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _cache = new();

    public async Task<IReadOnlyList<SaleView>> ListSalesAsync(ClaimsPrincipal caller, int? artworkId = null, int? artistId = null, int take = 200, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Engage, "See sales records", cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Sales.AsNoTracking();
        query = artworkId is { } work ? query.Where(s => s.ArtworkId == work) : query;
        query = artistId is { } artist ? query.Where(s => s.Artwork!.ArtistId == artist) : query;
        return await query.OrderByDescending(s => s.SaleDate).ThenByDescending(s => s.Id).Take(Math.Clamp(take, 1, 1000))
            .Select(s => new SaleView(s.Id, s.ArtworkId, s.Artwork!.Title, s.SaleDate, s.Venue, s.VenueKind, s.Lot, s.Price, s.Currency, s.EstimateLow, s.EstimateHigh, s.BoughtIn, s.PremiumIncluded, s.IsGenerated))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The market of everything (<paramref name="artistId"/> and <paramref name="style"/> null), of an artist, or of a style.</summary>
    public async Task<MarketOverview> GetOverviewAsync(ClaimsPrincipal caller, int? artistId = null, string? style = null, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Engage, "See the market", cancellationToken);
        var scope = artistId is { } a ? $"artist:{a}" : style is not null ? $"style:{style}" : "all";
        return (MarketOverview)await CachedAsync(scope, async (market, ct) =>
        {
            var data = market.Data;
            if (artistId is { } id)
            {
                var position = Array.BinarySearch(market.ArtistIds, id);
                data = data.Where(w => position >= 0 && w.Artist == position);
            }
            else if (style is not null)
            {
                var position = Array.IndexOf(market.Styles, style);
                data = data.Where(w => position >= 0 && w.Style == position);
            }

            if (data.Sales.Count < 2 || data.Periods < 2)
            {
                return new MarketOverview(scope, data.Sales.Count, data.Sales.Select(s => s.Work).Distinct().Count(), null, null, [], [], market.AnyGenerated);
            }

            var repeat = RepeatSalesIndex.Fit(data);
            var hedonic = data.Sales.Count >= 20 ? HedonicModel.Fit(data, new HedonicOptions()).Index : null;
            var lead = repeat.EnoughData || hedonic is null ? repeat : hedonic;
            var series = lead.Points.Select(p => p.LogIndex).ToList();
            var forecast = series.Count > 1 ? IndexForecaster.Forecast(series, data.FirstYear + data.Periods - 1, ForecastYears) : [];
            var backtest = IndexForecaster.Backtest(series, series, data.FirstYear);
            await Task.CompletedTask;
            return new MarketOverview(scope, data.Sales.Count, data.Sales.Select(s => s.Work).Distinct().Count(), repeat, hedonic, forecast, backtest, market.AnyGenerated);
        }, cancellationToken);
    }

    /// <summary>An estimate for a work at the latest year's prices, with its interval, comparables and drivers; null when there are too few sales.</summary>
    public async Task<Valuation?> ValueAsync(ClaimsPrincipal caller, int artworkId, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Engage, "Value a work", cancellationToken);
        var fitted = (FittedMarket?)await CachedAsync("model", (market, _) =>
            Task.FromResult<object>(market.Data.Sales.Count >= 20 ? new FittedMarket(market, HedonicModel.Fit(market.Data, new HedonicOptions())) : new FittedMarket(market, null)), cancellationToken);
        if (fitted?.Model is not { } model)
        {
            return null;
        }

        var market = fitted.Market;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var work = await db.Artworks.AsNoTracking().Where(a => a.Id == artworkId)
            .Select(a => new { a.Id, a.ArtistId, a.Year, a.Medium, a.Dimensions, Embedding = a.Embedding == null ? null : a.Embedding.Style, EncoderVersion = a.Embedding == null ? null : a.Embedding.EncoderVersion, Style = a.Tags.Where(t => t.Status == Data.Entities.TagStatus.Accepted && t.Tag!.Vocabulary == Data.Entities.TagVocabulary.Style).Select(t => t.Tag!.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken);
        if (work is null)
        {
            return null;
        }

        var features = market.PositionOf.TryGetValue(work.Id, out var known)
            ? market.Data.Works[known]
            : new MarketWork(
                work.ArtistId is { } a ? Array.BinarySearch(market.ArtistIds, a) : -1,
                work.Style is { } s ? Array.IndexOf(market.Styles, s) : -1,
                string.IsNullOrWhiteSpace(work.Medium) ? -1 : Array.IndexOf(market.Mediums, work.Medium.Trim().ToLowerInvariant()),
                MarketDataLoader.LogArea(work.Dimensions),
                work.Year is { } y ? (y - 1900) / 100.0 : double.NaN,
                work.Embedding?.ToArray());
        features = features with { Artist = Math.Max(-1, features.Artist), Style = Math.Max(-1, features.Style), Medium = Math.Max(-1, features.Medium) };
        var today = model.Periods - 1;
        var log = model.Predict(features, today);
        var index = model.Index.Points;
        var comparables = work.Embedding is null ? [] : await ComparablesAsync(db, market, index, work.Id, work.ArtistId, work.Embedding, work.EncoderVersion!, cancellationToken);
        var drivers = model.Drivers(features).Where(d => Math.Abs(d.LogEffect) >= 0.01).Take(3).Select(d => (d.Driver, 100 * (Math.Exp(d.LogEffect) - 1))).ToList();
        var year = market.Data.FirstYear + today;
        var explanation = drivers.Count == 0
            ? $"At {year} prices this work sits near the average of the {market.Data.Sales.Count} sales the model learned from."
            : $"At {year} prices. Compared with an average work in the {market.Data.Sales.Count} sales the model learned from: "
              + string.Join("; ", drivers.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Driver} {(d.Item2 >= 0 ? "raises" : "lowers")} the estimate by {Math.Abs(d.Item2):0}%"))) + ".";
        return new Valuation(work.Id, year, Math.Exp(log), Math.Exp(log + model.Lower80), Math.Exp(log + model.Upper80), comparables, drivers, explanation, market.Data.Sales.Count, model.ImagePenalty < 1e7);
    }

    /// <summary>Forgets fitted models (a change was just made in this process; other processes see it through the fingerprint).</summary>
    public void Invalidate() => _cache.Clear();

    private static async Task<IReadOnlyList<Comparable>> ComparablesAsync(GalleryDbContext db, LoadedMarket market, IReadOnlyList<IndexPoint> index, int workId, int? artistId, Vector embedding, string encoderVersion, CancellationToken cancellationToken)
    {
        // The nearest sold works by style embedding (pgvector HNSW; the scan goes on while the "has a sale"
        // filter drops candidates; only vectors of the work's own encoder version), then a small bonus for the same artist.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL hnsw.ef_search = 100; SET LOCAL hnsw.iterative_scan = relaxed_order", cancellationToken);
        var candidates = await db.Embeddings.AsNoTracking()
            .Where(e => e.ArtworkId != workId && e.EncoderVersion == encoderVersion && db.Sales.Any(s => s.ArtworkId == e.ArtworkId && s.Price != null))
            .OrderBy(e => e.Style.CosineDistance(embedding)).Take(40)
            .Select(e => new { e.ArtworkId, e.Artwork!.Title, e.Artwork.ArtistId, Artist = e.Artwork.Artist!.Name, Distance = e.Style.CosineDistance(embedding) })
            .ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var chosen = candidates.Select(c => (c, Score: 1 - c.Distance + (c.ArtistId == artistId && artistId != null ? 0.1 : 0))).OrderByDescending(c => c.Score).Take(ComparableCount).ToList();
        var ids = chosen.Select(c => c.c.ArtworkId).ToList();
        var lastSales = await db.Sales.AsNoTracking().Where(s => ids.Contains(s.ArtworkId) && s.Price != null && !s.BoughtIn)
            .GroupBy(s => s.ArtworkId).Select(g => g.OrderByDescending(s => s.SaleDate).First()).ToListAsync(cancellationToken);
        var rates = await RateTable.LoadAsync(db, cancellationToken);
        var last = index[^1].LogIndex;
        var result = new List<Comparable>();
        foreach (var (c, _) in chosen)
        {
            var sale = lastSales.FirstOrDefault(s => s.ArtworkId == c.ArtworkId);
            if (sale is null || rates.ToBase(sale.Currency, sale.SaleDate) is not { } rate)
            {
                continue;
            }

            var price = (double)sale.Price!.Value * rate * (sale.PremiumIncluded ? 1 : MarketCurrency.PremiumFactor);
            var period = Math.Clamp(sale.SaleDate.Year - market.Data.FirstYear, 0, index.Count - 1);
            result.Add(new Comparable(c.ArtworkId, c.Title, c.Artist, 1 - c.Distance, sale.SaleDate, price, price * Math.Exp(last - index[period].LogIndex)));
        }

        return result;
    }

    private async Task<object> CachedAsync(string scope, Func<LoadedMarket, CancellationToken, Task<object>> build, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var audit = await db.MarketAudits.MaxAsync(a => (long?)a.Id, cancellationToken) ?? 0;
        // Every change through the services writes an audit row; the newest sale id also covers bulk loads.
        var count = await db.Sales.MaxAsync(s => (long?)s.Id, cancellationToken) ?? 0;
        var key = string.Create(CultureInfo.InvariantCulture, $"{scope}@{audit}/{count}");
        var lazy = _cache.GetOrAdd(key, _ => new Lazy<Task<object>>(async () =>
        {
            var market = await LoadSharedAsync(audit, count);
            return await build(market, CancellationToken.None);
        }));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _cache.TryRemove(key, out _);
            throw;
        }
    }

    private async Task<LoadedMarket> LoadSharedAsync(long audit, long count)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"data@{audit}/{count}");
        foreach (var stale in _cache.Keys.Where(k => !k.EndsWith($"@{audit}/{count}", StringComparison.Ordinal)))
        {
            _cache.TryRemove(stale, out _);
        }

        var lazy = _cache.GetOrAdd(key, _ => new Lazy<Task<object>>(async () =>
        {
            await using var db = await contextFactory.CreateDbContextAsync();
            return await MarketDataLoader.LoadAsync(db, CancellationToken.None);
        }));
        return (LoadedMarket)await lazy.Value;
    }

    private sealed record FittedMarket(LoadedMarket Market, HedonicModel? Model);
}
