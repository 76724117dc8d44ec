using System.Globalization;
using System.Text;
using ArtGallery.Engines.Text;
using Npgsql;
using Pgvector;

namespace ArtGallery.Core.Search;

/// <summary>What a work's text index row was built from: the same fields search by words matches.</summary>
public sealed record WorkTextSource(
    int Id,
    string Title,
    string? Artist,
    int? Year,
    string? Medium,
    string? Description,
    IReadOnlyList<(TagVocabulary Vocabulary, string Name)> Tags,
    IReadOnlyList<string> Palette)
{
    /// <summary>
    /// The one text per work that is embedded and full-text indexed: "Title. Artist, year. Subject: …"
    /// with the palette's colour names, so "a painting in ochre and blue" can meet the pixels.
    /// </summary>
    public string Compose()
    {
        var text = new StringBuilder(Title.Trim()).Append('.');
        if (!string.IsNullOrWhiteSpace(Artist))
        {
            text.Append(" By ").Append(Artist.Trim());
            if (Year is { } y)
            {
                text.Append(CultureInfo.InvariantCulture, $", {y}");
            }

            text.Append('.');
        }
        else if (Year is { } year)
        {
            text.Append(CultureInfo.InvariantCulture, $" {year}.");
        }

        foreach (var group in Tags.GroupBy(t => t.Vocabulary).OrderBy(g => g.Key))
        {
            text.Append(' ').Append(group.Key).Append(": ").AppendJoin(", ", group.Select(t => t.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)).Append('.');
        }

        var colours = ColourSpace.NamesOf(Palette);
        if (colours.Count > 0)
        {
            text.Append(" Colours: ").AppendJoin(", ", colours).Append('.');
        }

        if (!string.IsNullOrWhiteSpace(Medium) && !Tags.Any(t => t.Vocabulary == TagVocabulary.Medium))
        {
            text.Append(' ').Append(Medium.Trim()).Append('.');
        }

        if (!string.IsNullOrWhiteSpace(Description))
        {
            text.Append(' ').Append(Description.Trim());
        }

        return text.ToString();
    }
}

public sealed record SearchIndexResult(int Texts, int Palettes);

/// <summary>
/// Keeps the words and palette indexes current: a work whose composed text differs from the stored
/// one (a new tag, an edited title) or was embedded by another encoder version is re-embedded; a
/// work without a palette histogram gets one. Run by the embedding worker on every pass.
/// </summary>
public sealed partial class SearchIndexer(
    IDbContextFactory<GalleryDbContext> contextFactory,
    NpgsqlDataSource dataSource,
    TextEncoder encoder,
    TimeProvider clock,
    ILogger<SearchIndexer> logger)
{
    private const int PageSize = 1000;
    private const int EmbedBatch = 32;

    public bool IsAvailable => encoder.IsAvailable;

    public async Task<SearchIndexResult> IndexAsync(IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var palettes = await IndexPalettesAsync(cancellationToken);
        var texts = encoder.IsAvailable ? await IndexTextsAsync(progress, cancellationToken) : 0;
        if (texts + palettes > 0)
        {
            LogIndexed(logger, texts, palettes);
        }

        return new SearchIndexResult(texts, palettes);
    }

    /// <summary>The composed text of every work (keyset pages), for the indexer and the evaluation.</summary>
    public static async IAsyncEnumerable<WorkTextSource> SourcesAsync(GalleryDbContext db, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lastId = 0;
        while (true)
        {
            var page = await db.Artworks.AsNoTracking().Where(a => a.Id > lastId).OrderBy(a => a.Id).Take(PageSize)
                .Select(a => new
                {
                    a.Id,
                    a.Title,
                    Artist = a.Artist == null ? null : a.Artist.Name,
                    a.Year,
                    a.Medium,
                    a.Description,
                    a.Palette,
                    Tags = a.Tags.Where(t => t.Status == TagStatus.Accepted || (t.Source == TagSource.Model && t.Status == TagStatus.Suggested))
                        .Select(t => new { t.Tag!.Vocabulary, t.Tag.Name }).ToList(),
                })
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var a in page)
            {
                yield return new WorkTextSource(a.Id, a.Title, a.Artist, a.Year, a.Medium, a.Description,
                    [.. a.Tags.Select(t => (t.Vocabulary, t.Name))], a.Palette);
            }

            lastId = page[^1].Id;
        }
    }

    private async Task<int> IndexTextsAsync(IProgress<int>? progress, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.ArtworkTexts.AsNoTracking().Where(t => t.EncoderVersion == TextEncoder.Version)
            .Select(t => new { t.ArtworkId, t.Text }).ToDictionaryAsync(t => t.ArtworkId, t => t.Text, cancellationToken);
        var stale = new List<(int Id, string Text)>();
        await foreach (var source in SourcesAsync(db, cancellationToken))
        {
            var text = source.Compose();
            if (!stored.TryGetValue(source.Id, out var old) || !string.Equals(old, text, StringComparison.Ordinal))
            {
                stale.Add((source.Id, text));
            }
        }

        var done = 0;
        foreach (var batch in stale.Chunk(EmbedBatch))
        {
            // ONNX Runtime's Run is synchronous CPU work: off the caller's thread.
            var vectors = await Task.Run(() => encoder.Encode([.. batch.Select(b => b.Text)]), cancellationToken);
            await WriteTextsAsync(batch, vectors, cancellationToken);
            done += batch.Length;
            progress?.Report(done);
        }

        return done;
    }

    private Task WriteTextsAsync((int Id, string Text)[] batch, IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return NpgsqlBatches.UpsertAsync(dataSource, "ArtworkTexts", ["ArtworkId", "EncoderVersion", "Text", "Embedding", "UpdatedAt"],
            batch.Select((row, i) => new object[] { row.Id, TextEncoder.Version, row.Text, new Vector(vectors[i]), now }), cancellationToken);
    }

    private async Task<int> IndexPalettesAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var missing = await db.Artworks.AsNoTracking()
                .Where(a => a.Palette.Count > 0 && !db.ArtworkPalettes.Any(p => p.ArtworkId == a.Id && p.Version == PaletteHistogram.Version))
                .OrderBy(a => a.Id).Take(PageSize).Select(a => new { a.Id, a.Palette }).ToListAsync(cancellationToken);
            if (missing.Count == 0)
            {
                return done;
            }

            await NpgsqlBatches.UpsertAsync(dataSource, "ArtworkPalettes", ["ArtworkId", "Version", "Histogram"],
                missing.Select(work => new object[] { work.Id, PaletteHistogram.Version, new Vector(PaletteHistogram.FromPalette(work.Palette)) }), cancellationToken);
            done += missing.Count;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index: {Texts} texts embedded, {Palettes} palettes indexed")]
    private static partial void LogIndexed(ILogger logger, int texts, int palettes);
}
