using System.Globalization;
using System.Text.RegularExpressions;

namespace ArtGallery.Core.Market;

/// <summary>The gallery's priced sales as the models see them, with the work ids behind each row.</summary>
public sealed record LoadedMarket(MarketData Data, int[] WorkIds, Dictionary<int, int> PositionOf, int[] ArtistIds, string[] Styles, string[] Mediums, bool AnyGenerated);

/// <summary>
/// Reads priced sales, converts them to <see cref="MarketCurrency.Base"/> with the rate in force on the
/// sale's date, raises prices quoted without the premium, and reads the sold works' features and style
/// embeddings.
/// </summary>
public static partial class MarketDataLoader
{
    public static async Task<LoadedMarket> LoadAsync(GalleryDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rates = await RateTable.LoadAsync(db, cancellationToken);
        var sales = await db.Sales.AsNoTracking().Where(s => s.Price != null && !s.BoughtIn)
            .Select(s => new { s.ArtworkId, s.SaleDate, s.Price, s.Currency, s.PremiumIncluded, s.IsGenerated }).ToListAsync(cancellationToken);
        var workIds = sales.Select(s => s.ArtworkId).Distinct().Order().ToArray();
        var positionOf = workIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var works = await db.Artworks.AsNoTracking().Where(a => workIds.Contains(a.Id))
            .Select(a => new
            {
                a.Id,
                a.ArtistId,
                a.Year,
                a.Medium,
                a.Dimensions,
                Style = a.Tags.Where(t => t.Status == TagStatus.Accepted && t.Tag!.Vocabulary == TagVocabulary.Style).Select(t => t.Tag!.Name).FirstOrDefault(),
                Embedding = a.Embedding == null ? null : a.Embedding.Style,
            })
            .ToListAsync(cancellationToken);
        var artistIds = works.Where(w => w.ArtistId != null).Select(w => w.ArtistId!.Value).Distinct().Order().ToArray();
        var styles = works.Select(w => w.Style).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();
        var mediums = works.Select(w => NormaliseMedium(w.Medium)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();
        var features = new MarketWork[workIds.Length];
        foreach (var w in works)
        {
            features[positionOf[w.Id]] = new MarketWork(
                w.ArtistId is { } a ? Array.BinarySearch(artistIds, a) : -1,
                w.Style is { } s ? Array.IndexOf(styles, s) : -1,
                NormaliseMedium(w.Medium) is { } m ? Array.IndexOf(mediums, m) : -1,
                LogArea(w.Dimensions),
                w.Year is { } y ? (y - 1900) / 100.0 : double.NaN,
                w.Embedding?.ToArray());
        }

        var firstYear = sales.Count > 0 ? sales.Min(s => s.SaleDate.Year) : 2000;
        var lastYear = sales.Count > 0 ? sales.Max(s => s.SaleDate.Year) : 2000;
        var priced = new List<MarketSale>(sales.Count);
        foreach (var s in sales)
        {
            if (rates.ToBase(s.Currency, s.SaleDate) is { } rate && s.Price > 0)
            {
                var price = (double)s.Price!.Value * rate * (s.PremiumIncluded ? 1 : MarketCurrency.PremiumFactor);
                priced.Add(new MarketSale(positionOf[s.ArtworkId], s.SaleDate.Year - firstYear, Math.Log(price)));
            }
        }

        var data = new MarketData(features, priced, firstYear, lastYear - firstYear + 1, artistIds.Length, styles.Length, mediums.Length);
        return new LoadedMarket(data, workIds, positionOf, artistIds, styles, mediums, sales.Any(s => s.IsGenerated));
    }

    /// <summary>Physical size from "W × H cm" or "W x H in"; pixel sizes and anything else are unknown (NaN).</summary>
    public static double LogArea(string? dimensions)
    {
        var match = dimensions is null ? null : SizePattern().Match(dimensions);
        if (match is not { Success: true })
        {
            return double.NaN;
        }

        var w = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var h = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var toCm = match.Groups[3].Value.Equals("in", StringComparison.OrdinalIgnoreCase) ? 2.54 : 1;
        return w > 0 && h > 0 ? Math.Log(w * h * toCm * toCm) : double.NaN;
    }

    private static string? NormaliseMedium(string? medium) => string.IsNullOrWhiteSpace(medium) ? null : medium.Trim().ToLowerInvariant();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(cm|in)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();
}

/// <summary>The curator's dated rates: the rate in force on a date is the latest one from before it (or the first one, for older dates).</summary>
public sealed class RateTable(Dictionary<string, List<(DateOnly From, double ToBase)>> rates)
{
    public static async Task<RateTable> LoadAsync(GalleryDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.CurrencyRates.AsNoTracking().OrderBy(r => r.ValidFrom).ToListAsync(cancellationToken);
        return new RateTable(rows.GroupBy(r => r.Currency.Trim()).ToDictionary(g => g.Key, g => g.Select(r => (r.ValidFrom, (double)r.ToBase)).ToList(), StringComparer.OrdinalIgnoreCase));
    }

    public bool Knows(string currency) => currency.Equals(MarketCurrency.Base, StringComparison.OrdinalIgnoreCase) || rates.ContainsKey(currency);

    public double? ToBase(string currency, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(currency);
        if (currency.Trim().Equals(MarketCurrency.Base, StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        if (!rates.TryGetValue(currency.Trim(), out var list) || list.Count == 0)
        {
            return null;
        }

        var inForce = list.LastOrDefault(r => r.From <= date);
        return inForce == default ? list[0].ToBase : inForce.ToBase;
    }
}
