using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ArtGallery.Core.Gallery;
using ArtGallery.Engines.Text;
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
public sealed class WordSearchService(NpgsqlDataSource dataSource, TextEncoder encoder, TimeProvider clock)
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

    /// <summary>
    /// A word in more works than this (PostgreSQL's own estimate, from the statistics ANALYZE keeps of the
    /// search vectors' most common lexemes) does not open the "any word" tier on its own: GIN builds the
    /// whole bitmap of a word's works before the tier's cap applies, and a colour name or "dark" in ten to
    /// forty thousand works cost more than the rest of the query (docs/understanding.md, "Common words").
    /// Such a word still ranks the works it is in, and still counts in the "every word" tier. Collections
    /// under this size never have one, so their results are exactly as before.
    /// </summary>
    public const int CommonWordWorks = 4 * MaxRankedMatches;

    /// <summary>
    /// How long the common words are kept before they are read again: they change only when ANALYZE
    /// (autovacuum) refreshes the statistics, so reading them on every query was work done again for nothing.
    /// </summary>
    public static readonly TimeSpan CommonWordsLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The search vectors' lexemes in over <see cref="CommonWordWorks"/> works, by PostgreSQL's statistics.</summary>
    private static readonly string CommonWordsSql = $"""
        SELECT e.lexeme FROM pg_stats s
        CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, share)
        WHERE s.schemaname = current_schema() AND s.tablename = 'ArtworkTexts' AND s.attname = 'SearchVector'
          AND e.lexeme IS NOT NULL
          AND e.share * (SELECT c.reltuples FROM pg_class c WHERE c.oid = '"ArtworkTexts"'::regclass) > {CommonWordWorks}
        """;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "in", "on", "at", "and", "or", "with", "by", "for", "to", "from", "is", "are", "some", "its", "it", "into", "over", "under", "painting", "picture", "work",
    };

    private readonly ConcurrentDictionary<string, float[]> _phraseVectors = new(StringComparer.Ordinal);

    private CommonWords? _commonWords;

    public bool MeaningAvailable => encoder.IsAvailable;

    public Task<WordResults> SearchAsync(string query, int count = DefaultCount, WordSearchMode mode = WordSearchMode.Fusion, CancellationToken cancellationToken = default) =>
        SearchAsync(query, new WorkFilters(), count, mode, cancellationToken);

    /// <summary>
    /// As <see cref="SearchAsync(string, int, WordSearchMode, CancellationToken)"/> among the works that pass
    /// <paramref name="filters"/> (the browse page's style, artist and years), applied inside both rankings.
    /// </summary>
    public async Task<WordResults> SearchAsync(string query, WorkFilters filters, int count = DefaultCount, WordSearchMode mode = WordSearchMode.Fusion, CancellationToken cancellationToken = default)
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
        return await SearchWithEmbeddingAsync(query, embedding, count, filters, mode, cancellationToken);
    }

    /// <summary>
    /// As <see cref="SearchAsync"/> with the query already embedded (null: words only): the database
    /// half alone, which the benchmark times apart from the model.
    /// </summary>
    public Task<WordResults> SearchWithEmbeddingAsync(string query, float[]? embedding, int count, WordSearchMode mode = WordSearchMode.Fusion, CancellationToken cancellationToken = default) =>
        SearchWithEmbeddingAsync(query, embedding, count, new WorkFilters(), mode, cancellationToken);

    /// <summary>As <see cref="SearchWithEmbeddingAsync(string, float[], int, WordSearchMode, CancellationToken)"/> among the works that pass <paramref name="filters"/>.</summary>
    public async Task<WordResults> SearchWithEmbeddingAsync(string query, float[]? embedding, int count, WorkFilters filters, WordSearchMode mode = WordSearchMode.Fusion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filters);
        count = Math.Clamp(count, 1, 96);
        var words = mode != WordSearchMode.Vector ? FullTextWords(query) : [];
        if (embedding is null && words.Count == 0)
        {
            return new WordResults(query, [], encoder.IsAvailable);
        }

        var items = new List<WordMatch>(count);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var common = words.Count > 0 ? await CommonLexemesAsync(connection, cancellationToken) : [];
        await using var batch = RankingBatch(connection, embedding, words, common, filters.Normalized(), count);

        // Prepared: planning the rankings cost about as much as running them (2.4 of 5 ms in EXPLAIN
        // ANALYZE at 100,000 works), and Npgsql keeps a statement prepared on its pooled connection,
        // so this is a lookup after a connection's first query.
        await batch.PrepareAsync(cancellationToken);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var fused = new Fused(reader.GetInt32(0), reader.GetDouble(1), RankOrNull(reader, 2), RankOrNull(reader, 3), reader.GetDouble(4));
                var card = SearchSql.Card(reader, 5);
                var palette = SearchSql.Palette(reader, 5);
                var tags = Tags(reader, 5 + SearchSql.ColumnCount);
                items.Add(new WordMatch(card, fused.Score, fused.MeaningRank, fused.WordsRank, fused.Similarity, Explain(query, embedding, card, tags, palette, fused)));
            }
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

    /// <summary>
    /// The whole search in one round trip (<see cref="SearchSql"/>): the index settings, then one statement
    /// that ranks by meaning (pgvector HNSW) and by words (full text), fuses the two lists (as
    /// <see cref="Fuse"/> does, in SQL) and reads the <paramref name="count"/> best works' cards, palettes
    /// and visible tags.
    /// </summary>
    private static NpgsqlBatch RankingBatch(NpgsqlConnection connection, float[]? embedding, IReadOnlyList<string> words, string[] common, WorkFilters filters, int count)
    {
        var batch = new NpgsqlBatch(connection);

        batch.BatchCommands.Add(SearchSql.IndexSettings(filters));

        // The filters sit inside both rankings, so a filtered search ranks the filtered works rather
        // than filtering the collection's top 100; both use the same parameters.

        var command = new NpgsqlBatchCommand();
        var vectorFilter = filters.ToSql("x.\"ArtworkId\"", command.Parameters);
        var textFilter = filters.ToSql("t.\"ArtworkId\"", new List<NpgsqlParameter>()) is { } sql ? " AND " + sql : string.Empty;
        var meaning = "SELECT NULL::integer AS id, NULL::float8 AS similarity, NULL::bigint AS rank WHERE false";
        if (embedding is not null)
        {
            meaning = $"SELECT n.id, n.similarity, row_number() OVER () AS rank FROM ({WorkFilters.NearestSql("ArtworkTexts", "Embedding", "EncoderVersion", vectorFilter, Candidates)}) n(id, similarity)";
            command.Parameters.Add(new NpgsqlParameter("q", new Vector(embedding)));
            command.Parameters.Add(new NpgsqlParameter("version", TextEncoder.Version));
        }

        var matches = "SELECT NULL::integer AS id, NULL::bigint AS rank WHERE false";
        var fullText = string.Empty;
        if (words.Count > 0)
        {
            // Two tiers, each fetching and ranking at most MaxRankedMatches rows: works with every word
            // (GIN intersects the posting lists, so this is cheap even for common words), then, if they
            // are fewer than the candidates, works with any word that is not common (CommonWordWorks; with
            // any word when every word is common). ts_rank_cd over all the words orders within a tier.
            // Filters apply inside each tier, before its cap: the cap counts filtered matches.
            fullText = $"""
                q AS (
                    SELECT to_tsquery('english', @any) AS any_word, to_tsquery('english', @all) AS all_words,
                           coalesce((SELECT string_agg(quote_literal(l), ' | ')::tsquery FROM unnest(tsvector_to_array(to_tsvector('english', @any))) l
                                     WHERE l <> ALL(@common)), to_tsquery('english', @any)) AS scan_words
                ),
                all_match AS MATERIALIZED (
                    SELECT t."ArtworkId", t."SearchVector" FROM "ArtworkTexts" t, q WHERE t."SearchVector" @@ q.all_words{textFilter} LIMIT {MaxRankedMatches}
                ),
                any_match AS MATERIALIZED (
                    SELECT t."ArtworkId", t."SearchVector" FROM "ArtworkTexts" t, q
                    WHERE (SELECT count(*) FROM all_match) < {Candidates} AND t."SearchVector" @@ q.scan_words{textFilter} LIMIT {MaxRankedMatches}
                ),

                """;
            matches = $"""
                SELECT r.id, row_number() OVER () AS rank FROM (
                    SELECT u."ArtworkId" AS id FROM (
                        SELECT "ArtworkId", 0 AS tier, "SearchVector" FROM all_match
                        UNION ALL
                        SELECT "ArtworkId", 1, "SearchVector" FROM any_match WHERE "ArtworkId" NOT IN (SELECT "ArtworkId" FROM all_match)
                    ) u, q
                    ORDER BY u.tier, ts_rank_cd(u."SearchVector", q.any_word) DESC, u."ArtworkId" LIMIT {Candidates}
                ) r
                """;
            command.Parameters.Add(new NpgsqlParameter("any", NpgsqlDbType.Text) { Value = string.Join(" | ", words) });
            command.Parameters.Add(new NpgsqlParameter("all", NpgsqlDbType.Text) { Value = words.Count > 1 ? string.Join(" & ", words) : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("common", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = common });
        }

        // Reciprocal rank fusion: Σ 1/(k + rank) over the rankings a work is in, ties by id, as Fuse.
        command.CommandText = $"""
            WITH {fullText}meaning AS MATERIALIZED ({meaning}),
            matches AS MATERIALIZED ({matches}),
            fused AS MATERIALIZED (
                SELECT coalesce(m.id, w.id) AS id,
                       coalesce(1.0::float8 / ({FusionK} + m.rank), 0) + coalesce(1.0::float8 / ({FusionK} + w.rank), 0) AS score,
                       m.rank AS meaning_rank, w.rank AS words_rank, coalesce(m.similarity, 0) AS similarity
                FROM meaning m FULL JOIN matches w ON w.id = m.id
                ORDER BY score DESC, id LIMIT {count}
            )
            SELECT f.id, f.score, f.meaning_rank, f.words_rank, f.similarity, {SearchSql.CardColumns}, tags.vocabularies, tags.names, tags.suggested
            FROM fused f {SearchSql.CardJoin("f.id")}
            LEFT JOIN LATERAL (
                SELECT array_agg(tg."Vocabulary" ORDER BY vt."TagId", vt."Source") AS vocabularies,
                       array_agg(tg."Name" ORDER BY vt."TagId", vt."Source") AS names,
                       array_agg(vt."Status" = 'Suggested' ORDER BY vt."TagId", vt."Source") AS suggested
                FROM "ArtworkTags" vt JOIN "Tags" tg ON tg."Id" = vt."TagId"
                WHERE vt."ArtworkId" = f.id AND (vt."Status" = 'Accepted' OR (vt."Source" = 'Model' AND vt."Status" = 'Suggested'))
            ) tags ON true
            ORDER BY f.score DESC, f.id
            """;
        batch.BatchCommands.Add(command);
        return batch;
    }

    /// <summary>The common words (<see cref="CommonWordsSql"/>), read again once <see cref="CommonWordsLifetime"/> has passed.</summary>
    private async Task<string[]> CommonLexemesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_commonWords is { } kept && clock.GetUtcNow() < kept.Until)
        {
            return kept.Lexemes;
        }

        var lexemes = new List<string>();
        await using (var command = new NpgsqlCommand(CommonWordsSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lexemes.Add(reader.GetString(0));
            }
        }

        _commonWords = new CommonWords([.. lexemes], clock.GetUtcNow() + CommonWordsLifetime);
        return _commonWords.Lexemes;
    }

    private static int? RankOrNull(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : (int)reader.GetInt64(column);

    /// <summary>The visible tags read as three parallel arrays from column <paramref name="first"/> on (null: none).</summary>
    private static List<MatchedTag> Tags(NpgsqlDataReader reader, int first)
    {
        if (reader.IsDBNull(first))
        {
            return [];
        }

        var vocabularies = reader.GetFieldValue<string[]>(first);
        var names = reader.GetFieldValue<string[]>(first + 1);
        var suggested = reader.GetFieldValue<bool[]>(first + 2);
        return [.. vocabularies.Select((v, i) => new MatchedTag(Enum.Parse<TagVocabulary>(v), names[i], suggested[i]))];
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

/// <summary>The common words as read at one moment, kept until <paramref name="Until"/>.</summary>
internal sealed record CommonWords(string[] Lexemes, DateTimeOffset Until);
