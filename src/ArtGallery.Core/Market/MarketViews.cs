namespace ArtGallery.Core.Market;

/// <summary>Market figures are in this currency; others are converted with the dated rate table.</summary>
public static class MarketCurrency
{
    public const string Base = "USD";

    /// <summary>Prices quoted without the buyer's premium are raised by this factor before modelling (a typical premium).</summary>
    public const double PremiumFactor = 1.2;
}

/// <summary>A sale as listed on a work's or artist's Market tab.</summary>
public sealed record SaleView(long Id, int ArtworkId, string ArtworkTitle, DateOnly Date, string Venue, VenueKind VenueKind, string? Lot, decimal? Price, string Currency, decimal? EstimateLow, decimal? EstimateHigh, bool BoughtIn, bool PremiumIncluded, bool IsGenerated);

/// <summary>What a curator types to add a sale by hand.</summary>
public sealed record SaleInput(int ArtworkId, DateOnly Date, string Venue, VenueKind VenueKind, string? Lot, decimal? Price, string Currency, decimal? EstimateLow, decimal? EstimateHigh, bool BoughtIn, bool PremiumIncluded);

public sealed record RateView(int Id, string Currency, DateOnly ValidFrom, decimal ToBase);

/// <summary>The market of a scope (everything, an artist, a style): both indices, the forecast and its back-test.</summary>
public sealed record MarketOverview(
    string Scope,
    int Sales,
    int Works,
    PriceIndex? RepeatSales,
    PriceIndex? Hedonic,
    IReadOnlyList<ForecastPoint> Forecast,
    IReadOnlyList<BacktestPoint> Backtest,
    bool AnyGenerated)
{
    /// <summary>Which index the page should lead with: the one with enough data, repeat-sales first.</summary>
    public PriceIndex? Preferred => RepeatSales is { EnoughData: true } ? RepeatSales : Hedonic is { EnoughData: true } ? Hedonic : Hedonic ?? RepeatSales;
}

/// <summary>A comparable sale: a similar work, its last price and that price adjusted by the index to the valuation year.</summary>
public sealed record Comparable(int ArtworkId, string Title, string? Artist, double Similarity, DateOnly Date, double PriceBase, double AdjustedBase);

/// <summary>An estimate in the base currency with its 80 % interval, what it rests on and why.</summary>
public sealed record Valuation(
    int ArtworkId,
    int Year,
    double Estimate,
    double Low80,
    double High80,
    IReadOnlyList<Comparable> Comparables,
    IReadOnlyList<(string Driver, double Percent)> Drivers,
    string Explanation,
    int SalesInModel,
    bool ImageTermsUsed);

/// <summary>What became of one row of a sales CSV.</summary>
public enum SaleImportOutcome
{
    Imported,
    AlreadyImported,
    Rejected,
}

public sealed record SaleImportRow(int Line, SaleImportOutcome Outcome, string? Reason);

public sealed record SaleImportReport(IReadOnlyList<SaleImportRow> Rows)
{
    public int Imported => Rows.Count(r => r.Outcome == SaleImportOutcome.Imported);

    public int AlreadyImported => Rows.Count(r => r.Outcome == SaleImportOutcome.AlreadyImported);

    public int Rejected => Rows.Count(r => r.Outcome == SaleImportOutcome.Rejected);
}

/// <summary>A market operation that cannot be done, with a message for the curator.</summary>
public sealed class MarketException(string message) : Exception(message);
