using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using ArtGallery.Core.Gallery;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using ArtGallery.Engines.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Pgvector;

namespace ArtGallery.Core.Search;

/// <summary>Which ranking a words search uses: the fusion the visitor gets, or one of its two halves (for the evaluation).</summary>
public enum WordSearchMode
{
    Fusion,
    FullText,
    Vector,
}

/// <summary>One answer to a words search and, in words, why it is there.</summary>
public sealed record WordMatch(ArtworkCard Card, double Score, int? MeaningRank, int? WordsRank, double Similarity, IReadOnlyList<string> Reasons);

public sealed record WordResults(string Query, IReadOnlyList<WordMatch> Items, bool MeaningAvailable);

/// <summary>
/// Search by words: the sentence embedding of the query against every work's text (pgvector HNSW)
/// and PostgreSQL full text over the same text (GIN), fused by reciprocal rank (k = 60).
/// Without the text model it degrades to full text alone.
/// </summary>
public sealed class WordSearchService(IDbContextFactory<GalleryDbContext> contextFactory, TextEncoder encoder)
{
    public const int DefaultCount = 24;
    public const int MaxQueryChars = 300;

    /// <summary>Reciprocal rank fusion's constant (Cormack et al. 2009): damps the weight of the very top ranks.</summary>
    public const int FusionK = 60;

    /// <summary>Candidates taken from each ranking before fusion.</summary>
    public const int Candidates = 100;

    /// <summary>
    /// Most full-text matches ranked per query: a common word matches tens of thousands of works at
    /// 100,000, and ranking them all is what made a words query slow (docs/understanding.md).
    /// </summary>
    public const int MaxRankedMatches = 5000;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "in", "on", "at", "and", "or", "with", "by", "for", "to", "from", "is", "are", "some", "its", "it", "into", "over", "under", "painting", "picture", "work",
    };

    private readonly ConcurrentDictionary<string, float[]> _phraseVectors = new(StringComparer.Ordinal);

    public bool MeaningAvailable => encoder.IsAvailable;

    public async Task<WordResults> SearchAsync(string query, int count = DefaultCount, WordSearchMode mode = WordSearchMode.Fusion, CancellationToken cancellationToken = default)
    {
        query = (query ?? string.Empty).Trim();
        if (query.Length > MaxQueryChars)
        {
            query = query[..MaxQueryChars];
        }

        count = Math.Clamp(count, 1, 96);
        if (query.Length == 0)
        {
            return new WordResults(query, [], encoder.IsAvailable);
        }

        var useVector = encoder.IsAvailable && mode != WordSearchMode.FullText;
        float[]? embedding = useVector ? await Task.Run(() => encoder.Encode(query), cancellationToken) : null;
        return await SearchWithEmbeddingAsync(query, embedding, count, mode, cancellationToken);
    }

    /// <summary>
    /// As <see cref="SearchAsync"/> with the query already embedded (null: words only): the database
    /// half alone, which the benchmark times apart from the model.
    /// </summary>
    public async Task<WordResults> SearchWithEmbeddingAsync(string query, float[]? embedding, int count, WordSearchMode mode = WordSearchMode.Fusion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        count = Math.Clamp(count, 1, 96);
        var useText = mode != WordSearchMode.Vector;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (meaning, words) = await CandidatesAsync(db, embedding, useText ? TsQuery(query) : null, cancellationToken);
        var fused = Fuse(meaning, words, count);
        var ids = fused.Select(f => f.Id).ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        var tags = (await db.ArtworkTags.AsNoTracking()
                .Where(t => ids.Contains(t.ArtworkId) && (t.Status == TagStatus.Accepted || (t.Source == TagSource.Model && t.Status == TagStatus.Suggested)))
                .Select(t => new { t.ArtworkId, t.Tag!.Vocabulary, t.Tag.Name, Suggested = t.Status == TagStatus.Suggested }).ToListAsync(cancellationToken))
            .ToLookup(t => t.ArtworkId, t => new MatchedTag(t.Vocabulary, t.Name, t.Suggested));
        var palettes = await db.Artworks.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Palette }).ToDictionaryAsync(a => a.Id, a => a.Palette, cancellationToken);

        var items = new List<WordMatch>(fused.Count);
        foreach (var f in fused)
        {
            if (!cards.TryGetValue(f.Id, out var card))
            {
                continue;
            }

            var reasons = Explain(query, embedding, card, [.. tags[f.Id]], palettes.GetValueOrDefault(f.Id) ?? [], f);
            items.Add(new WordMatch(card, f.Score, f.MeaningRank, f.WordsRank, f.Similarity, reasons));
        }

        return new WordResults(query, items, encoder.IsAvailable);
    }

    /// <summary>
    /// The query's words as an OR of English lexemes: a visitor's description rarely has every word in
    /// one title, and ts_rank_cd still puts works with more of them first. Only letters and digits
    /// pass, so nothing typed can change the query's syntax.
    /// </summary>
    public static string? TsQuery(string query)
    {
        var words = Words(query).Where(w => !StopWords.Contains(w)).Distinct(StringComparer.Ordinal).ToList();
        return words.Count == 0 ? null : string.Join(" | ", words);
    }

    public static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in (text ?? string.Empty).ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    public sealed record Fused(int Id, double Score, int? MeaningRank, int? WordsRank, double Similarity);

    /// <summary>Reciprocal rank fusion: Σ 1/(k + rank) over the rankings a work appears in (ranks from 1).</summary>
    public static IReadOnlyList<Fused> Fuse(IReadOnlyList<(int Id, double Similarity)> meaning, IReadOnlyList<int> words, int count)
    {
        ArgumentNullException.ThrowIfNull(meaning);
        ArgumentNullException.ThrowIfNull(words);
        var all = new Dictionary<int, (double Score, int? M, int? W, double S)>();
        for (var i = 0; i < meaning.Count; i++)
        {
            all[meaning[i].Id] = (1.0 / (FusionK + i + 1), i + 1, null, meaning[i].Similarity);
        }

        for (var i = 0; i < words.Count; i++)
        {
            var (score, m, _, s) = all.GetValueOrDefault(words[i]);
            all[words[i]] = (score + (1.0 / (FusionK + i + 1)), m, i + 1, s);
        }

        return [.. all.OrderByDescending(p => p.Value.Score).ThenBy(p => p.Key).Take(count)
            .Select(p => new Fused(p.Key, p.Value.Score, p.Value.M, p.Value.W, p.Value.S))];
    }

    private static async Task<(List<(int Id, double Similarity)> Meaning, List<int> Words)> CandidatesAsync(GalleryDbContext db, float[]? embedding, string? tsQuery, CancellationToken cancellationToken)
    {
        var meaning = new List<(int, double)>();
        var words = new List<int>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // As for find-similar: the HNSW index always (a small demo would otherwise sort), and no JIT
        // for a query of a few milliseconds.
        await using (var settings = Command(db, transaction, "SET LOCAL enable_seqscan = off; SET LOCAL jit = off; SET LOCAL hnsw.ef_search = 100"))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        if (embedding is not null)
        {
            await using var command = Command(db, transaction, $"""
                SELECT "ArtworkId", 1 - ("Embedding" <=> @q) FROM "ArtworkTexts"
                WHERE "EncoderVersion" = @version ORDER BY "Embedding" <=> @q LIMIT {Candidates}
                """);
            command.Parameters.Add(new Npgsql.NpgsqlParameter("q", new Vector(embedding)));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("version", TextEncoder.Version));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                meaning.Add((reader.GetInt32(0), reader.GetDouble(1)));
            }
        }

        if (tsQuery is not null)
        {
            await using var command = Command(db, transaction, $"""
                WITH q AS (SELECT to_tsquery('english', @tsq) AS q),
                matched AS MATERIALIZED (
                    SELECT t."ArtworkId", t."SearchVector" FROM "ArtworkTexts" t, q WHERE t."SearchVector" @@ q.q LIMIT {MaxRankedMatches}
                )
                SELECT m."ArtworkId" FROM matched m, q ORDER BY ts_rank_cd(m."SearchVector", q.q) DESC, m."ArtworkId" LIMIT {Candidates}
                """);
            command.Parameters.Add(new Npgsql.NpgsqlParameter("tsq", tsQuery));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                words.Add(reader.GetInt32(0));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (meaning, words);
    }

    /// <summary>A tag a work was indexed with; <see cref="Suggested"/>: a model suggestion no curator has accepted yet.</summary>
    private sealed record MatchedTag(TagVocabulary Vocabulary, string Name, bool Suggested)
    {
        // A suggestion is indexed (a new work is findable before review) but never reads as a curator's fact.
        public string Label => Suggested ? $"suggested {Describe(Vocabulary)}" : Describe(Vocabulary);
    }

    private List<string> Explain(string query, float[]? embedding, ArtworkCard card, IReadOnlyList<MatchedTag> tags, IReadOnlyList<string> palette, Fused fused)
    {
        var reasons = new List<string>();
        var queryWords = Words(query).Where(w => w.Length >= 3 && !StopWords.Contains(w)).Distinct(StringComparer.Ordinal).ToList();
        var titleWords = Words(card.Title).ToList();
        foreach (var word in queryWords.Where(w => titleWords.Any(t => SameStem(t, w))))
        {
            reasons.Add($"title: “{titleWords.First(t => SameStem(t, word))}”");
        }

        foreach (var tag in tags.Where(t => Words(t.Name).Any(n => queryWords.Any(w => SameStem(n, w)))))
        {
            reasons.Add($"{tag.Label}: {tag.Name}");
        }

        if (card.ArtistName is { } artist && Words(artist).Any(n => queryWords.Any(w => SameStem(n, w))))
        {
            reasons.Add($"artist: {artist}");
        }

        var colours = ColourSpace.NamesOf(palette);
        foreach (var colour in colours.Where(c => Words(c).Any(n => queryWords.Any(w => SameStem(n, w)))))
        {
            reasons.Add($"colour: {colour}");
        }

        if (embedding is not null && fused.MeaningRank is not null)
        {
            // Which of the work's tags and colours the query is closest to in meaning (cached phrase vectors).
            var phrases = tags.Select(t => (Label: $"{t.Label} {t.Name}", Phrase: t.Name))
                .Concat(colours.Select(c => (Label: $"colour {c}", Phrase: c)));
            var best = phrases.Select(p => (p.Label, Similarity: Dot(embedding, _phraseVectors.GetOrAdd(p.Phrase, encoder.Encode))))
                .OrderByDescending(p => p.Similarity).FirstOrDefault();
            reasons.Add(best.Label is not null && best.Similarity >= 0.3
                ? string.Create(CultureInfo.InvariantCulture, $"meaning: close to {best.Label} ({fused.Similarity:0.00})")
                : string.Create(CultureInfo.InvariantCulture, $"meaning: similar description ({fused.Similarity:0.00})"));
        }

        if (reasons.Count == 0)
        {
            reasons.Add("words: found in its description");
        }

        return reasons;
    }

    private static string Describe(TagVocabulary vocabulary) => vocabulary.ToString().ToLowerInvariant();

    /// <summary>A crude stemmer for the explanation only (the ranking uses PostgreSQL's): a shared stem of at least four letters.</summary>
    private static bool SameStem(string a, string b)
    {
        var n = Math.Max(4, Math.Min(a.Length, b.Length) - 2);
        return a.Length >= 3 && b.Length >= 3 && (string.Equals(a, b, StringComparison.Ordinal)
            || (a.Length >= n && b.Length >= n && string.CompareOrdinal(a, 0, b, 0, n) == 0));
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static DbCommand Command(GalleryDbContext db, IDbContextTransaction transaction, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }
}
