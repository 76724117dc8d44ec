using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ArtGallery.Core.Gallery;
using ArtGallery.Engines.Text;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
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
    /// Most full-text matches fetched and ranked per tier (works with every word, then works with any):
    /// a common word matches tens of thousands of works at 100,000, and fetching and ranking them is
    /// what made a words query slow (docs/understanding.md, "Where the time went").
    /// </summary>
    public const int MaxRankedMatches = 500;

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
        var (meaning, words) = await CandidatesAsync(db, embedding, useText ? FullTextWords(query) : [], cancellationToken);
        var fused = Fuse(meaning, words, count);
        var ids = fused.Select(f => f.Id).ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);

        // The reasons' material in one query: the palette and the tags a visitor can see.
        var details = await db.Artworks.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new
            {
                a.Id, a.Palette,
                Tags = a.Tags.Where(t => t.Status == TagStatus.Accepted || (t.Source == TagSource.Model && t.Status == TagStatus.Suggested))
                    .Select(t => new MatchedTag(t.Tag!.Vocabulary, t.Tag.Name, t.Status == TagStatus.Suggested)).ToList(),
            })
            .ToDictionaryAsync(a => a.Id, cancellationToken);

        var items = new List<WordMatch>(fused.Count);
        foreach (var f in fused)
        {
            if (!cards.TryGetValue(f.Id, out var card))
            {
                continue;
            }

            var detail = details.GetValueOrDefault(f.Id);
            var reasons = Explain(query, embedding, card, detail is null ? [] : detail.Tags, detail?.Palette ?? [], f);
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
        var words = FullTextWords(query);
        return words.Count == 0 ? null : string.Join(" | ", words);
    }

    /// <summary>The query's distinct words less stop words, as full text searches for them.</summary>
    public static IReadOnlyList<string> FullTextWords(string query) =>
        [.. Words(query).Where(w => !StopWords.Contains(w)).Distinct(StringComparer.Ordinal)];

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

    private static async Task<(List<(int Id, double Similarity)> Meaning, List<int> Words)> CandidatesAsync(GalleryDbContext db, float[]? embedding, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var meaning = new List<(int, double)>();
        var matches = new List<int>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // One round trip for the settings and both rankings (Npgsql sends BEGIN with it): each round trip
        // is a chance to wait for the CPU on a busy server, and the tail is made of such waits.
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());

        // As for find-similar: the HNSW index always (a small demo would otherwise sort), and no JIT
        // for a query of a few milliseconds. Local to this transaction.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), set_config('hnsw.ef_search', '100', true)"));
        if (embedding is not null)
        {
            var command = new NpgsqlBatchCommand($"""
                SELECT "ArtworkId", 1 - ("Embedding" <=> @q) FROM "ArtworkTexts"
                WHERE "EncoderVersion" = @version ORDER BY "Embedding" <=> @q LIMIT {Candidates}
                """);
            command.Parameters.Add(new NpgsqlParameter("q", new Vector(embedding)));
            command.Parameters.Add(new NpgsqlParameter("version", TextEncoder.Version));
            batch.BatchCommands.Add(command);
        }

        if (words.Count > 0)
        {
            // Two tiers, each fetching and ranking at most MaxRankedMatches rows: works with every word
            // (GIN intersects the posting lists, so this is cheap even for common words), then, if they
            // are fewer than the candidates, works with any word. ts_rank_cd orders within a tier.
            var command = new NpgsqlBatchCommand($"""
                WITH q AS (SELECT to_tsquery('english', @any) AS any_word, to_tsquery('english', @all) AS all_words),
                all_match AS MATERIALIZED (
                    SELECT t."ArtworkId", t."SearchVector" FROM "ArtworkTexts" t, q WHERE t."SearchVector" @@ q.all_words LIMIT {MaxRankedMatches}
                ),
                any_match AS MATERIALIZED (
                    SELECT t."ArtworkId", t."SearchVector" FROM "ArtworkTexts" t, q
                    WHERE (SELECT count(*) FROM all_match) < {Candidates} AND t."SearchVector" @@ q.any_word LIMIT {MaxRankedMatches}
                )
                SELECT r."ArtworkId" FROM (
                    SELECT "ArtworkId", 0 AS tier, "SearchVector" FROM all_match
                    UNION ALL
                    SELECT "ArtworkId", 1, "SearchVector" FROM any_match WHERE "ArtworkId" NOT IN (SELECT "ArtworkId" FROM all_match)
                ) r, q
                ORDER BY r.tier, ts_rank_cd(r."SearchVector", q.any_word) DESC, r."ArtworkId" LIMIT {Candidates}
                """);
            command.Parameters.Add(new NpgsqlParameter("any", NpgsqlDbType.Text) { Value = string.Join(" | ", words) });
            command.Parameters.Add(new NpgsqlParameter("all", NpgsqlDbType.Text) { Value = words.Count > 1 ? string.Join(" & ", words) : DBNull.Value });
            batch.BatchCommands.Add(command);
        }

        // Prepared: planning the two rankings cost about as much as running them (2.4 of 5 ms in
        // EXPLAIN ANALYZE at 100,000 works), and Npgsql keeps a statement prepared on its pooled
        // connection, so this is a lookup after a connection's first query.
        await batch.PrepareAsync(cancellationToken);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            if (embedding is not null)
            {
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    meaning.Add((reader.GetInt32(0), reader.GetDouble(1)));
                }
            }

            if (words.Count > 0)
            {
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    matches.Add(reader.GetInt32(0));
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (meaning, matches);
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
}
