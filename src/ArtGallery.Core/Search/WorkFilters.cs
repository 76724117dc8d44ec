using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ArtGallery.Core.Search;

/// <summary>
/// The browse page's filters (style, artist, year range) for the words and colour searches; every
/// criterion is optional and they combine with AND, as on /browse.
/// </summary>
public sealed record WorkFilters
{
    /// <summary>Slug of an accepted Style tag (the browse page's "Style").</summary>
    public string? Style { get; init; }

    public int? ArtistId { get; init; }

    public int? YearFrom { get; init; }

    public int? YearTo { get; init; }

    public bool IsEmpty => Style is null && ArtistId is null && YearFrom is null && YearTo is null;

    /// <summary>A reversed year range swapped and a blank style dropped: filters come from URLs anyone can edit.</summary>
    public WorkFilters Normalized()
    {
        var (from, to) = YearFrom is { } f && YearTo is { } t && f > t ? (t, f) : (YearFrom, YearTo);
        var style = string.IsNullOrWhiteSpace(Style) ? null : Style.Trim().ToLowerInvariant();
        return this with { Style = style, YearFrom = from, YearTo = to };
    }

    /// <summary>
    /// The filters as one SQL condition on the work id column <paramref name="idColumn"/> (correlated
    /// EXISTS, so an index scan evaluates them per tuple it yields and keeps its own order), adding
    /// their parameters to <paramref name="parameters"/>; null when there is no filter.
    /// </summary>
    public string? ToSql(string idColumn, ICollection<NpgsqlParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var where = new StringBuilder();
        AppendArtworkSql(where, idColumn, parameters, ArtistId, YearFrom, YearTo);
        if (Style is { } style)
        {
            if (where.Length > 0)
            {
                where.Append(" AND ");
            }

            where.Append("EXISTS (SELECT 1 FROM \"ArtworkTags\" atg JOIN \"Tags\" tg ON tg.\"Id\" = atg.\"TagId\" WHERE atg.\"ArtworkId\" = ")
                .Append(idColumn).Append(" AND tg.\"Vocabulary\" = 'Style' AND tg.\"Slug\" = @filter_style AND atg.\"Status\" = 'Accepted')");
            parameters.Add(new NpgsqlParameter("filter_style", NpgsqlDbType.Text) { Value = style });
        }

        return where.Length == 0 ? null : where.ToString();
    }

    /// <summary>
    /// The <paramref name="limit"/> rows of <paramref name="table"/> (alias <c>x</c>) nearest <c>@q</c> by
    /// cosine distance of <paramref name="vector"/>, among those whose <paramref name="versionColumn"/> is
    /// <c>@version</c> and that pass <paramref name="filter"/> (from <see cref="ToSql"/>, on <c>x."ArtworkId"</c>):
    /// "ArtworkId" and the cosine similarity, nearest first. Filtered, a MATERIALIZED CTE keeps the index
    /// scan (ORDER BY distance LIMIT n) whole, and the outer ORDER BY puts the iterative scan's relaxed
    /// order back; unfiltered, the plain query.
    /// </summary>
    internal static string NearestSql(string table, string vector, string versionColumn, string? filter, int limit) => filter is null
        ? $"""
            SELECT "ArtworkId", 1 - ("{vector}" <=> @q) FROM "{table}"
            WHERE "{versionColumn}" = @version ORDER BY "{vector}" <=> @q LIMIT {limit}
            """
        : $"""
            WITH nearest AS MATERIALIZED (
                SELECT x."ArtworkId", x."{vector}" <=> @q AS distance FROM "{table}" x
                WHERE x."{versionColumn}" = @version AND {filter} ORDER BY x."{vector}" <=> @q LIMIT {limit}
            )
            SELECT "ArtworkId", 1 - distance FROM nearest ORDER BY distance, "ArtworkId"
            """;

    /// <summary>The artist and year criteria as one EXISTS on "Artworks" (shared with the similar-work filters).</summary>
    internal static void AppendArtworkSql(StringBuilder where, string idColumn, ICollection<NpgsqlParameter> parameters, int? artistId, int? yearFrom, int? yearTo)
    {
        var artwork = new List<string>();
        if (artistId is { } artist)
        {
            artwork.Add("a.\"ArtistId\" = @filter_artist");
            parameters.Add(new NpgsqlParameter("filter_artist", artist));
        }

        if (yearFrom is { } from)
        {
            artwork.Add("a.\"Year\" >= @filter_from");
            parameters.Add(new NpgsqlParameter("filter_from", from));
        }

        if (yearTo is { } to)
        {
            artwork.Add("a.\"Year\" <= @filter_to");
            parameters.Add(new NpgsqlParameter("filter_to", to));
        }

        if (artwork.Count > 0)
        {
            if (where.Length > 0)
            {
                where.Append(" AND ");
            }

            where.Append("EXISTS (SELECT 1 FROM \"Artworks\" a WHERE a.\"Id\" = ").Append(idColumn).Append(" AND ").AppendJoin(" AND ", artwork).Append(')');
        }
    }
}
