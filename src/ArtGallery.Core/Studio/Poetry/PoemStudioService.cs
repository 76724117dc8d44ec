using System.Text.Json;
using System.Text.RegularExpressions;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Search;
using ArtGallery.Engines.Studio.Poetry;
using ArtGallery.Engines.Text;

namespace ArtGallery.Core.Studio.Poetry;

/// <summary>A piece of a line: its text and whether it is one of the keywords the poem was given.</summary>
public sealed record PoemSpan(string Text, bool FromWork);

public sealed record PoemView(long Id, string Title, string Text, string Keywords, int? SourceArtworkId, string? ParametersJson, DateTimeOffset CreatedAt);

/// <summary>
/// The literature studio: writes poems from keywords or from a work, and keeps them in My creations
/// for their owner.
/// </summary>
public sealed partial class PoemStudioService(PoemGenerator generator, IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider clock, TextEncoder textEncoder, WordSearchService words)
{
    /// <summary>Works a kept poem links back to.</summary>
    public const int ClosestWorksCount = 3;

    /// <summary>Poem vectors kept in memory: a kept poem's text never changes, so My creations embeds each once.</summary>
    internal const int PoemVectorCacheSize = 1024;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> _poemVectors = new(StringComparer.Ordinal);

    public bool IsAvailable => generator.IsAvailable;

    public string? UnavailableReason => generator.UnavailableReason;

    public string Provider => generator.Provider;

    /// <summary>
    /// Writes; bad settings, or a model that is not loaded, throw <see cref="StudioRequestException"/>
    /// with the problem in words.
    /// </summary>
    public Poem Write(PoemRequest request)
    {
        try
        {
            return generator.Write(request);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new StudioRequestException(ex.Message, ex);
        }
    }

    /// <summary><see cref="Write"/> on the thread pool: a page's circuit never runs the model itself.</summary>
    public Task<Poem> WriteAsync(PoemRequest request, CancellationToken cancellationToken = default) =>
        Task.Run(() => Write(request), cancellationToken);

    /// <summary>The work's keywords, as many as the model's vocabulary knows.</summary>
    public IReadOnlyList<WorkKeyword> KeywordsFor(ArtworkDetail work)
    {
        var all = WorkKeywords.For(work);
        var usable = generator.IsAvailable ? generator.UsableKeywords(all.Select(k => k.Word)).ToHashSet(StringComparer.Ordinal) : null;
        return usable is null ? all : all.Where(k => usable.Contains(k.Word)).ToList();
    }

    /// <summary>A line split into spans, the words that are keywords (or their plural) marked.</summary>
    public static IReadOnlyList<PoemSpan> Highlight(string line, IReadOnlyCollection<string> keywords)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(keywords);
        var spans = new List<PoemSpan>();
        var at = 0;
        foreach (Match m in WordPattern().Matches(line))
        {
            var word = m.Value.ToLowerInvariant();
            var hit = keywords.Contains(word) || (word.EndsWith('s') && keywords.Contains(word[..^1]));
            if (!hit)
            {
                continue;
            }

            if (m.Index > at)
            {
                spans.Add(new PoemSpan(line[at..m.Index], false));
            }

            spans.Add(new PoemSpan(m.Value, true));
            at = m.Index + m.Length;
        }

        if (at < line.Length || spans.Count == 0)
        {
            spans.Add(new PoemSpan(line[at..], false));
        }

        return spans;
    }

    public async Task<long> SaveAsync(string ownerId, Poem poem, string title, int? sourceArtworkId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        ArgumentNullException.ThrowIfNull(poem);
        ArgumentNullException.ThrowIfNull(title);
        if (ownerId.Length > Creation.OwnerMaxLength)
        {
            throw new ArgumentException("The owner id is too long.", nameof(ownerId));
        }

        var r = poem.Request;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = new PoemCreation
        {
            OwnerId = ownerId,
            Title = title.Length > PoemCreation.TitleMaxLength ? title[..PoemCreation.TitleMaxLength] : title,
            Text = poem.Text.Length > PoemCreation.TextMaxLength ? poem.Text[..PoemCreation.TextMaxLength] : poem.Text,
            Keywords = string.Join(' ', poem.UsedKeywords),
            ParametersJson = JsonSerializer.Serialize(new { form = r.Form.ToString(), lines = r.Lines, temperature = r.Temperature, topK = r.TopK, topP = r.TopP, seed = r.Seed }),
            SourceArtworkId = sourceArtworkId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.PoemCreations.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.Id;
    }

    /// <summary>
    /// The works whose text is closest in meaning to a poem: the poem is embedded like any text (the words
    /// search's sentence model, the whole poem up to the model's 128 tokens) and ranked against the works'
    /// text vectors. Empty while the text model is not available.
    /// </summary>
    public async Task<IReadOnlyList<WordMatch>> ClosestWorksAsync(string poemText, int count = ClosestWorksCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(poemText);
        if (!textEncoder.IsAvailable || string.IsNullOrWhiteSpace(poemText))
        {
            return [];
        }

        if (!_poemVectors.TryGetValue(poemText, out var embedding))
        {
            embedding = await Task.Run(() => textEncoder.Encode(poemText), cancellationToken);
            if (_poemVectors.Count >= PoemVectorCacheSize)
            {
                _poemVectors.Clear();
            }

            _poemVectors[poemText] = embedding;
        }

        var results = await words.SearchWithEmbeddingAsync(poemText, embedding, count, WordSearchMode.Vector, cancellationToken);
        return results.Items;
    }

    public async Task<IReadOnlyList<PoemView>> ListAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.PoemCreations.AsNoTracking().Where(p => p.OwnerId == ownerId).OrderByDescending(p => p.Id).Take(200)
            .Select(p => new PoemView(p.Id, p.Title, p.Text, p.Keywords, p.SourceArtworkId, p.ParametersJson, p.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>One poem of this owner, or null (someone else's poems are not visible).</summary>
    public async Task<PoemView?> GetAsync(string ownerId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.PoemCreations.AsNoTracking().Where(p => p.Id == id && p.OwnerId == ownerId)
            .Select(p => new PoemView(p.Id, p.Title, p.Text, p.Keywords, p.SourceArtworkId, p.ParametersJson, p.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string ownerId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.PoemCreations.Where(p => p.Id == id && p.OwnerId == ownerId).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    [GeneratedRegex(@"[A-Za-z]+(?:'[A-Za-z]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
