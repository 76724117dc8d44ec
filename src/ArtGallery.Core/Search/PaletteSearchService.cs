using ArtGallery.Core.Gallery;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Imaging;
using Microsoft.EntityFrameworkCore.Storage;
using Pgvector;

namespace ArtGallery.Core.Search;

/// <summary>One answer to a palette search: the work, its palette (shown beside it) and how close it is.</summary>
public sealed record ColourMatch(ArtworkCard Card, IReadOnlyList<string> Palette, double Similarity);

/// <summary>
/// Search by colour: the picked colours (or a photo's dominant colours) as a soft CIELAB histogram,
/// the nearest stored palettes by cosine over the HNSW index.
/// </summary>
public sealed class PaletteSearchService(IDbContextFactory<GalleryDbContext> contextFactory, ImageDecoder decoder)
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

    public async Task<IReadOnlyList<ColourMatch>> SearchAsync(IEnumerable<string> colours, int count = DefaultCount, CancellationToken cancellationToken = default)
    {
        var picked = Normalize(colours);
        if (picked.Count == 0)
        {
            return [];
        }

        count = Math.Clamp(count, 1, 96);
        var query = new Vector(PaletteHistogram.FromPicked(picked));
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ranked = new List<(int Id, double Similarity)>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await using (var settings = db.Database.GetDbConnection().CreateCommand())
            {
                settings.Transaction = transaction.GetDbTransaction();
                settings.CommandText = "SET LOCAL enable_seqscan = off; SET LOCAL jit = off; SET LOCAL hnsw.ef_search = 100";
                await settings.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = $"""
                SELECT "ArtworkId", 1 - ("Histogram" <=> @q) FROM "ArtworkPalettes"
                WHERE "Version" = @version ORDER BY "Histogram" <=> @q LIMIT {count}
                """;
            command.Parameters.Add(new Npgsql.NpgsqlParameter("q", query));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("version", PaletteHistogram.Version));
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    ranked.Add((reader.GetInt32(0), reader.GetDouble(1)));
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var ids = ranked.Select(r => r.Id).ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        var palettes = await db.Artworks.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Palette }).ToDictionaryAsync(a => a.Id, a => a.Palette, cancellationToken);
        return [.. ranked.Where(r => cards.ContainsKey(r.Id)).Select(r => new ColourMatch(cards[r.Id], palettes[r.Id], r.Similarity))];
    }
}
