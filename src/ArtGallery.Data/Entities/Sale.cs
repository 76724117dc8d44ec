namespace ArtGallery.Data.Entities;

/// <summary>Where a work changed hands.</summary>
public enum VenueKind
{
    Auction,
    Gallery,
    Private,
}

/// <summary>
/// One sale (or an auction where the work was bought in) of a work. <see cref="NaturalKey"/> makes an
/// import idempotent: the same work, date, venue and lot is the same sale.
/// </summary>
public sealed class Sale
{
    public long Id { get; set; }

    public int ArtworkId { get; set; }

    public Artwork? Artwork { get; set; }

    public DateOnly SaleDate { get; set; }

    public required string Venue { get; set; }

    public VenueKind VenueKind { get; set; }

    public string? Lot { get; set; }

    /// <summary>Hammer or agreed price; null when the work was bought in.</summary>
    public decimal? Price { get; set; }

    /// <summary>ISO 4217 code of <see cref="Price"/> and the estimates.</summary>
    public required string Currency { get; set; }

    public decimal? EstimateLow { get; set; }

    public decimal? EstimateHigh { get; set; }

    public bool BoughtIn { get; set; }

    /// <summary>Whether <see cref="Price"/> includes the buyer's premium.</summary>
    public bool PremiumIncluded { get; set; }

    /// <summary>Made by the market simulator for the demo collection, not a real transaction.</summary>
    public bool IsGenerated { get; set; }

    /// <summary>work id | date | venue | lot, normalised: unique.</summary>
    public required string NaturalKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What one unit of <see cref="Currency"/> was worth in the base currency from <see cref="ValidFrom"/> on.</summary>
public sealed class CurrencyRate
{
    public int Id { get; set; }

    public required string Currency { get; set; }

    public DateOnly ValidFrom { get; set; }

    public decimal ToBase { get; set; }
}

/// <summary>One change to market data (a sale or a rate): who, what, when.</summary>
public sealed class MarketAudit
{
    public long Id { get; set; }

    /// <summary>"Sale" or "Rate".</summary>
    public required string Entity { get; set; }

    public required string EntityKey { get; set; }

    /// <summary>Added, Imported, Updated, Removed.</summary>
    public required string Action { get; set; }

    public string? Detail { get; set; }

    public string? ActorId { get; set; }

    public required string ActorName { get; set; }

    public DateTimeOffset At { get; set; }
}
