using ArtGallery.Core.Gallery;
using Npgsql;

namespace ArtGallery.Core.Search;

/// <summary>
/// What the words and colour searches send: each is one round trip, a batch of the index settings and
/// one statement that ranks and reads the ranked works' cards. On a busy server every round trip is one
/// more wait for a CPU, and those waits make the tail (docs/understanding.md, "Where the time went").
/// </summary>
internal static class SearchSql
{
    /// <summary>
    /// The settings a search's index scans run under, local to the batch's transaction: without an
    /// explicit one, a batch runs in one implicit transaction (Npgsql sends one Sync), so set_config's
    /// local values last for the batch as SET LOCAL would, without a BEGIN and a COMMIT to wait for.
    /// As for find-similar: the HNSW index always (a small demo would otherwise sort), and no JIT for a
    /// query of a few milliseconds. With filters, the iterative scan keeps walking the graph until the
    /// candidates got through them (or max_scan_tuples): without it HNSW stops after ef_search tuples
    /// and a 10 % filter leaves about 10 candidates.
    /// </summary>
    public static NpgsqlBatchCommand IndexSettings(WorkFilters filters) =>
        new("SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), set_config('hnsw.ef_search', '100', true)"
            + (filters.IsEmpty ? string.Empty : ", set_config('hnsw.iterative_scan', 'relaxed_order', true)"));

    /// <summary>
    /// A ranked work's card and palette (<see cref="ColumnCount"/> columns): the columns
    /// <see cref="GalleryService.ToCards"/> projects, written as SQL over <c>"Artworks" a</c> (<see cref="CardJoin"/>).
    /// </summary>
    public const string CardColumns = """
        a."Id", a."Title", a."ArtistId", ar."Name", a."Year", a."ImageSha256", a."PixelWidth", a."PixelHeight",
        (SELECT tg."Name" FROM "ArtworkTags" st JOIN "Tags" tg ON tg."Id" = st."TagId"
         WHERE st."ArtworkId" = a."Id" AND tg."Vocabulary" = 'Style' AND st."Status" = 'Accepted' ORDER BY st."Confidence" DESC LIMIT 1),
        a."Palette"
        """;

    public const int ColumnCount = 10;

    /// <summary>The joins <see cref="CardColumns"/> reads from, for the work whose id is <paramref name="idColumn"/>.</summary>
    public static string CardJoin(string idColumn) => $"""JOIN "Artworks" a ON a."Id" = {idColumn} LEFT JOIN "Artists" ar ON ar."Id" = a."ArtistId" """;

    /// <summary>The card in <see cref="CardColumns"/> read from column <paramref name="first"/> on.</summary>
    public static ArtworkCard Card(NpgsqlDataReader reader, int first) => new(
        reader.GetInt32(first),
        reader.GetString(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetInt32(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetInt32(first + 4),
        reader.GetString(first + 5),
        reader.GetInt32(first + 6),
        reader.GetInt32(first + 7),
        reader.IsDBNull(first + 8) ? null : reader.GetString(first + 8));

    /// <summary>The work's palette in <see cref="CardColumns"/> read from column <paramref name="first"/> on.</summary>
    public static string[] Palette(NpgsqlDataReader reader, int first) => reader.GetFieldValue<string[]>(first + 9);
}
