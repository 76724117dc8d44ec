using ArtGallery.Core.Gallery;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Imaging;
using Npgsql;
using Pgvector;

namespace ArtGallery.Core.Search;

/// <summary>One answer to a palette search: the work, its palette (shown beside it) and how close it is.</summary>
public sealed record ColourMatch(ArtworkCard Card, IReadOnlyList<string> Palette, double Similarity);

/// <summary>
/// Search by colour: the picked colours (or a photo's dominant colours) as a soft CIELAB histogram,
/// the nearest stored palettes by cosine over the HNSW index.
/// </summary>
public sealed class PaletteSearchService(NpgsqlDataSource dataSource, ImageDecoder decoder)
{
    public const int MaxColours = 5;
    public const int DefaultCount = 24;

    public static IReadOnlyList<string> Normalize(IEnumerable<string> colours) =>
        [.. (colours ?? []).Select(c => c.Trim().ToLowerInvariant()).Select(c => c.StartsWith('#') ? c : "#" + c)
            .Where(c => ColourSpace.TryParseHex(c, out _)).Distinct(StringComparer.Ordinal).Take(MaxColours)];

    /// <summary>A photo's dominant colours (at most five), as the importer finds a work's palette.</summary>
    /// <exception cref="PhotoSearchException">Not an image, or damaged; the message is for the visitor.</exception>
    public IReadOnlyList<string> ColoursOf(byte[] photo)
    {
        try
        {
            using var image = decoder.Decode(photo);
            return [.. PaletteExtractor.Extract(image, MaxColours)];
        }
        catch (ImageRejectedException ex)
        {
            throw new PhotoSearchException(ex.Message, ex);
        }
    }

    public Task<IReadOnlyList<ColourMatch>> SearchAsync(IEnumerable<string> colours, int count = DefaultCount, CancellationToken cancellationToken = default) =>
        SearchAsync(colours, new WorkFilters(), count, cancellationToken);

    /// <summary>
    /// The works whose palettes match <paramref name="colours"/> best among those that pass
    /// <paramref name="filters"/> (the browse page's style, artist and years), applied inside the index scan.
    /// </summary>
    public async Task<IReadOnlyList<ColourMatch>> SearchAsync(IEnumerable<string> colours, WorkFilters filters, int count = DefaultCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters = filters.Normalized();
        var picked = Normalize(colours);
        if (picked.Count == 0)
        {
            return [];
        }

        count = Math.Clamp(count, 1, 96);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);

        // One round trip (SearchSql): the settings, then the index scan with the cards, in the scan's order.
        batch.BatchCommands.Add(SearchSql.IndexSettings(filters));
        var command = new NpgsqlBatchCommand();
        var filter = filters.ToSql("x.\"ArtworkId\"", command.Parameters);
        command.CommandText = $"""
            WITH ranked AS MATERIALIZED (
                SELECT n.id, n.similarity, row_number() OVER () AS rank
                FROM ({WorkFilters.NearestSql("ArtworkPalettes", "Histogram", "Version", filter, count)}) n(id, similarity)
            )
            SELECT r.similarity, {SearchSql.CardColumns} FROM ranked r {SearchSql.CardJoin("r.id")} ORDER BY r.rank
            """;
        command.Parameters.Add(new NpgsqlParameter("q", new Vector(PaletteHistogram.FromPicked(picked))));
        command.Parameters.Add(new NpgsqlParameter("version", PaletteHistogram.Version));
        batch.BatchCommands.Add(command);

        // Prepared, as the words search: Npgsql keeps it on the pooled connection, so it is planned once per connection.
        await batch.PrepareAsync(cancellationToken);
        var found = new List<ColourMatch>(count);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new ColourMatch(SearchSql.Card(reader, 1), SearchSql.Palette(reader, 1), reader.GetDouble(0)));
        }

        return found;
    }
}
