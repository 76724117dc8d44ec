using System.Globalization;
using System.Security.Claims;
using ArtGallery.Core.Accounts;

namespace ArtGallery.Core.Market;

/// <summary>
/// Curators' changes to market data: sales by hand or by CSV import, and the dated currency rates.
/// Each change writes its <see cref="MarketAudit"/> row in the change's own transaction.
/// </summary>
public sealed class MarketEditService(IDbContextFactory<GalleryDbContext> contextFactory, MarketService market, TimeProvider time, CallerVerifier callers)
{
    public async Task<long> AddSaleAsync(ClaimsPrincipal caller, SaleInput input, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Add a sale", cancellationToken);
        ArgumentNullException.ThrowIfNull(input);
        var csv = string.Join('\n',
            "work_id,date,venue,venue_type,lot,price,currency,estimate_low,estimate_high,bought_in,premium_included",
            string.Join(',', new object?[] { input.ArtworkId, input.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Import.CsvText.Quote(input.Venue), input.VenueKind, Import.CsvText.Quote(input.Lot), input.Price, input.Currency, input.EstimateLow, input.EstimateHigh, input.BoughtIn, input.PremiumIncluded }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        var report = await ImportAsync(caller, csv, null, cancellationToken: cancellationToken);
        var row = report.Rows.Single();
        if (row.Outcome != SaleImportOutcome.Imported)
        {
            throw new MarketException(row.Reason ?? "That sale is already recorded.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var key = SalesCsv.NaturalKey(input.ArtworkId, input.Date, input.Venue, input.Lot);
        return await db.Sales.Where(s => s.NaturalKey == key).Select(s => s.Id).SingleAsync(cancellationToken);
    }

    public async Task DeleteSaleAsync(ClaimsPrincipal caller, long saleId, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Delete a sale", cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sale = await db.Sales.FirstOrDefaultAsync(s => s.Id == saleId, cancellationToken) ?? throw new MarketException("That sale no longer exists.");
        db.Sales.Remove(sale);
        db.MarketAudits.Add(Audit(caller, "Sale", sale.NaturalKey, "Removed", Describe(sale)));
        await db.SaveChangesAsync(cancellationToken);
        market.Invalidate();
    }

    public async Task<IReadOnlyList<RateView>> ListRatesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Engage, "See currency rates", cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.CurrencyRates.AsNoTracking().OrderBy(r => r.Currency).ThenBy(r => r.ValidFrom)
            .Select(r => new RateView(r.Id, r.Currency, r.ValidFrom, r.ToBase)).ToListAsync(cancellationToken);
    }

    /// <summary>Sets what one unit of <paramref name="currency"/> is worth in the base currency from <paramref name="validFrom"/> on.</summary>
    public async Task SetRateAsync(ClaimsPrincipal caller, string currency, DateOnly validFrom, decimal toBase, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Set a currency rate", cancellationToken);
        currency = (currency ?? string.Empty).Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper) || currency == MarketCurrency.Base)
        {
            throw new MarketException($"A rate needs a three-letter currency code other than {MarketCurrency.Base}.");
        }

        if (toBase <= 0)
        {
            throw new MarketException("A rate must be positive.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rate = await db.CurrencyRates.FirstOrDefaultAsync(r => r.Currency == currency && r.ValidFrom == validFrom, cancellationToken);
        var key = string.Create(CultureInfo.InvariantCulture, $"{currency}|{validFrom:yyyy-MM-dd}");
        if (rate is null)
        {
            db.CurrencyRates.Add(new CurrencyRate { Currency = currency, ValidFrom = validFrom, ToBase = toBase });
            db.MarketAudits.Add(Audit(caller, "Rate", key, "Added", string.Create(CultureInfo.InvariantCulture, $"1 {currency} = {toBase} {MarketCurrency.Base}")));
        }
        else
        {
            db.MarketAudits.Add(Audit(caller, "Rate", key, "Updated", string.Create(CultureInfo.InvariantCulture, $"{rate.ToBase} → {toBase} {MarketCurrency.Base}")));
            rate.ToBase = toBase;
        }

        await db.SaveChangesAsync(cancellationToken);
        market.Invalidate();
    }

    /// <summary>
    /// Imports a sales CSV: every row is checked on its own (unknown work, bad date, negative price,
    /// unknown currency, duplicate…) and reported; the good ones are written in one transaction with
    /// their audit rows; rows already recorded (same natural key) are reported and left alone.
    /// </summary>
    /// <param name="generated">Marks the sales as made by the market simulator (the demo collection's history); operators and admins only.</param>
    public async Task<SaleImportReport> ImportAsync(ClaimsPrincipal caller, string csv, string? mapping, bool generated = false, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, generated ? AccessLevel.Administer : AccessLevel.Curate, generated ? "Record generated sales" : "Import sales", cancellationToken);
        var (rows, report) = SalesCsv.Parse(csv, SalesCsv.ParseMapping(mapping));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rates = await RateTable.LoadAsync(db, cancellationToken);
        var ids = rows.Where(r => r.WorkId != null).Select(r => r.WorkId!.Value).Distinct().ToList();
        var existingIds = (await db.Artworks.Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        var titles = rows.Where(r => r.WorkId == null).Select(r => r.WorkTitle!).Distinct().ToList();
        var byTitle = (await db.Artworks.Where(a => titles.Contains(a.Title)).Select(a => new { a.Id, a.Title }).ToListAsync(cancellationToken))
            .GroupBy(a => a.Title).ToDictionary(g => g.Key, g => g.Select(a => a.Id).ToList(), StringComparer.Ordinal);

        var candidates = new List<(SaleCsvRow Row, int WorkId, string Key)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            int? workId = row.WorkId is { } id ? (existingIds.Contains(id) ? id : null) : byTitle.TryGetValue(row.WorkTitle!, out var matches) && matches.Count == 1 ? matches[0] : null;
            string? reason = null;
            if (workId is null)
            {
                reason = row.WorkId is { } missing ? $"unknown work: no work has id {missing}"
                    : byTitle.TryGetValue(row.WorkTitle!, out var several) ? $"ambiguous work: {several.Count} works are titled '{row.WorkTitle}'" : $"unknown work: no work is titled '{row.WorkTitle}'";
            }
            else if (!rates.Knows(row.Currency))
            {
                reason = $"unknown currency '{row.Currency}' (add a rate for it first)";
            }

            var key = workId is { } w ? SalesCsv.NaturalKey(w, row.Date, row.Venue, row.Lot) : string.Empty;
            if (reason is null && seen.TryGetValue(key, out var firstLine))
            {
                reason = $"duplicate of line {firstLine} (same work, date, venue and lot)";
            }

            if (reason is not null)
            {
                report.Add(new SaleImportRow(row.Line, SaleImportOutcome.Rejected, reason));
                continue;
            }

            seen[key] = row.Line;
            candidates.Add((row, workId!.Value, key));
        }

        var keys = candidates.Select(c => c.Key).ToList();
        var recorded = (await db.Sales.Where(s => keys.Contains(s.NaturalKey)).Select(s => s.NaturalKey).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var (row, workId, key) in candidates)
        {
            if (recorded.Contains(key))
            {
                report.Add(new SaleImportRow(row.Line, SaleImportOutcome.AlreadyImported, "already recorded"));
                continue;
            }

            var sale = new Sale
            {
                ArtworkId = workId, SaleDate = row.Date, Venue = row.Venue, VenueKind = row.VenueKind, Lot = row.Lot, Price = row.Price, Currency = row.Currency,
                EstimateLow = row.EstimateLow, EstimateHigh = row.EstimateHigh, BoughtIn = row.BoughtIn, PremiumIncluded = row.PremiumIncluded, NaturalKey = key, CreatedAt = now, IsGenerated = generated,
            };
            db.Sales.Add(sale);
            db.MarketAudits.Add(Audit(caller, "Sale", key, "Imported", Describe(sale)));
            report.Add(new SaleImportRow(row.Line, SaleImportOutcome.Imported, null));
        }

        await db.SaveChangesAsync(cancellationToken);
        market.Invalidate();
        return new SaleImportReport([.. report.OrderBy(r => r.Line)]);
    }

    private MarketAudit Audit(ClaimsPrincipal caller, string entity, string key, string action, string detail) => new()
    {
        Entity = entity,
        EntityKey = key,
        Action = action,
        Detail = detail.Length > 1000 ? detail[..1000] : detail,
        ActorId = GalleryAccess.UserId(caller),
        ActorName = caller.Identity?.Name ?? GalleryAccess.UserId(caller) ?? "unknown",
        At = time.GetUtcNow(),
    };

    private static string Describe(Sale sale) => sale.BoughtIn
        ? string.Create(CultureInfo.InvariantCulture, $"bought in at {sale.Venue} on {sale.SaleDate:yyyy-MM-dd}")
        : string.Create(CultureInfo.InvariantCulture, $"{sale.Price} {sale.Currency} at {sale.Venue} on {sale.SaleDate:yyyy-MM-dd}");
}
