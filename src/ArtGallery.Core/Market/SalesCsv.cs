using System.Globalization;
using ArtGallery.Core.Import;

namespace ArtGallery.Core.Market;

/// <summary>The fields of a sales CSV; each is read from the column of the same name unless the mapping names another.</summary>
public enum SaleField
{
    WorkId,
    WorkTitle,
    Date,
    Venue,
    VenueType,
    Lot,
    Price,
    Currency,
    EstimateLow,
    EstimateHigh,
    BoughtIn,
    PremiumIncluded,
}

/// <summary>One row of a sales CSV, parsed but not yet matched against the database.</summary>
public sealed record SaleCsvRow(int Line, int? WorkId, string? WorkTitle, DateOnly Date, string Venue, VenueKind VenueKind, string? Lot, decimal? Price, string Currency, decimal? EstimateLow, decimal? EstimateHigh, bool BoughtIn, bool PremiumIncluded);

/// <summary>
/// Reads a sales CSV (template: docs/market-sales-template.csv) with an optional column mapping
/// ("field=column" per line, e.g. <c>price=Hammer (USD)</c>). Each row is parsed on its own: a row that
/// cannot be read is reported with its reason and never stops the others.
/// </summary>
public static class SalesCsv
{
    public static string ColumnName(SaleField field) => field switch
    {
        SaleField.WorkId => "work_id",
        SaleField.WorkTitle => "work_title",
        SaleField.VenueType => "venue_type",
        SaleField.EstimateLow => "estimate_low",
        SaleField.EstimateHigh => "estimate_high",
        SaleField.BoughtIn => "bought_in",
        SaleField.PremiumIncluded => "premium_included",
        _ => field.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses "field=column" lines; unknown fields are an error the curator sees before anything is read.</summary>
    public static Dictionary<SaleField, string> ParseMapping(string? mapping)
    {
        var result = new Dictionary<SaleField, string>();
        foreach (var line in (mapping ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            var field = Enum.GetValues<SaleField>().Cast<SaleField?>().FirstOrDefault(f => string.Equals(ColumnName(f!.Value), parts[0], StringComparison.OrdinalIgnoreCase));
            if (parts.Length != 2 || field is null || parts[1].Length == 0)
            {
                throw new MarketException($"Mapping line '{line}' should read field=column with a field among: {string.Join(", ", Enum.GetValues<SaleField>().Select(ColumnName))}.");
            }

            result[field.Value] = parts[1];
        }

        return result;
    }

    public static (List<SaleCsvRow> Rows, List<SaleImportRow> Rejected) Parse(string text, IReadOnlyDictionary<SaleField, string> mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var records = CsvText.Parse(text ?? string.Empty);
        if (records.Count == 0 || records[0].Error is not null)
        {
            throw new MarketException("The file has no readable header row.");
        }

        var header = records[0].Fields.Select(h => h.Trim()).ToList();
        var columns = new Dictionary<SaleField, int>();
        foreach (var field in Enum.GetValues<SaleField>())
        {
            var name = mapping.TryGetValue(field, out var mapped) ? mapped : ColumnName(field);
            var at = header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                columns[field] = at;
            }
        }

        foreach (var required in new[] { SaleField.Date, SaleField.Venue, SaleField.Currency })
        {
            if (!columns.ContainsKey(required))
            {
                throw new MarketException($"No column for {ColumnName(required)} (map it as {ColumnName(required)}=your column).");
            }
        }

        if (!columns.ContainsKey(SaleField.WorkId) && !columns.ContainsKey(SaleField.WorkTitle))
        {
            throw new MarketException("No column for work_id or work_title.");
        }

        var rows = new List<SaleCsvRow>();
        var rejected = new List<SaleImportRow>();
        foreach (var record in records.Skip(1))
        {
            SaleCsvRow? row = null;
            var reason = record.Error ?? Read(record, columns, out row);
            if (reason is null && row is not null)
            {
                rows.Add(row);
            }
            else
            {
                rejected.Add(new SaleImportRow(record.Line, SaleImportOutcome.Rejected, reason ?? "unreadable row"));
            }
        }

        return (rows, rejected);
    }

    /// <summary>Same work, date, venue and lot: the same sale, whichever file it came from.</summary>
    public static string NaturalKey(int artworkId, DateOnly date, string venue, string? lot) =>
        string.Create(CultureInfo.InvariantCulture, $"{artworkId}|{date:yyyy-MM-dd}|{venue.Trim().ToUpperInvariant()}|{lot?.Trim().ToUpperInvariant()}");

    private static string? Read(CsvRecord record, Dictionary<SaleField, int> columns, out SaleCsvRow? row)
    {
        row = null;
        string? Get(SaleField f) => columns.TryGetValue(f, out var i) && i < record.Fields.Count && record.Fields[i].Trim().Length > 0 ? record.Fields[i].Trim() : null;
        int? workId = null;
        if (Get(SaleField.WorkId) is { } idText)
        {
            if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return $"unknown work: work_id '{idText}' is not a number";
            }

            workId = id;
        }

        var title = Get(SaleField.WorkTitle);
        if (workId is null && title is null)
        {
            return "unknown work: no work_id or work_title";
        }

        if (!DateOnly.TryParseExact(Get(SaleField.Date) ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return $"bad date '{Get(SaleField.Date)}' (expected YYYY-MM-DD)";
        }

        var venue = Get(SaleField.Venue);
        if (venue is null || venue.Length > 200)
        {
            return "a venue of 1 to 200 characters is needed";
        }

        var kindText = Get(SaleField.VenueType) ?? nameof(VenueKind.Auction);
        if (!Enum.TryParse<VenueKind>(kindText, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            return $"unknown venue type '{kindText}' (auction, gallery or private)";
        }

        if (!Flag(Get(SaleField.BoughtIn), out var boughtIn) || !Flag(Get(SaleField.PremiumIncluded) ?? "true", out var premium))
        {
            return "bought_in and premium_included take true/false, yes/no or 1/0";
        }

        if (Amount(Get(SaleField.Price), out var price) is { } priceError)
        {
            return priceError.Replace("amount", "price", StringComparison.Ordinal);
        }

        if (price is null && !boughtIn)
        {
            return "no price, and the work was not bought in";
        }

        if (Amount(Get(SaleField.EstimateLow), out var low) is { } lowError || Amount(Get(SaleField.EstimateHigh), out var high) is { } highError)
        {
            return "estimates must be non-negative numbers";
        }

        if (low > high)
        {
            return "the low estimate is above the high estimate";
        }

        var currency = (Get(SaleField.Currency) ?? string.Empty).ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            return $"unknown currency '{currency}'";
        }

        var lot = Get(SaleField.Lot);
        row = new SaleCsvRow(record.Line, workId, title, date, venue, kind, lot is { Length: > 50 } ? lot[..50] : lot, boughtIn ? null : price, currency, low, high, boughtIn, premium);
        return null;
    }

    private static bool Flag(string? text, out bool value)
    {
        value = false;
        switch (text?.ToUpperInvariant())
        {
            case null or "" or "FALSE" or "NO" or "0":
                return true;
            case "TRUE" or "YES" or "1":
                value = true;
                return true;
            default:
                return false;
        }
    }

    private static string? Amount(string? text, out decimal? value)
    {
        value = null;
        if (text is null)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
        {
            return $"amount '{text}' is not a number";
        }

        if (parsed < 0)
        {
            return $"negative amount {text}";
        }

        value = parsed;
        return null;
    }
}
