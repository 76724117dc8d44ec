using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Recognition;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Curation;

/// <summary>
/// The curators' review queue: each vocabulary head's suggestions for works without an accepted tag of
/// that vocabulary (Style by default), the ones it is least sure of first, accepted or rejected one at
/// a time or in bulk. Every decision wakes the recognition worker, which retrains that vocabulary's
/// head and refreshes the remaining suggestions.
/// </summary>
public sealed class ReviewQueueService(IDbContextFactory<GalleryDbContext> contextFactory, StyleRecognitionService recognition, RecognitionSignal recognitionSignal, TimeProvider time, CallerVerifier callers)
{
    /// <summary>Below this the model all but rules out the curator's style…</summary>
    public const double SecondLookCuratorBelow = 0.1;

    /// <summary>…and above this it is confident of another one: the two together flag a work for a second look.</summary>
    public const double SecondLookModelAbove = 0.6;

    public const int MaxPageSize = 100;

    /// <summary>
    /// Works with open suggestions of <paramref name="vocabulary"/> and no accepted tag of it, smallest
    /// margin between the two most probable tags first.
    /// </summary>
    public async Task<Page<ReviewItem>> ListSuggestionsAsync(ClaimsPrincipal caller, int page = 1, int pageSize = 24, TagVocabulary vocabulary = TagVocabulary.Style, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "List the review queue", cancellationToken);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(1, page);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var total = await OpenSuggestions(db, vocabulary).Select(t => t.ArtworkId).Distinct().CountAsync(cancellationToken);

        // Margin sampling: the second probability is the second-largest suggestion (0 when the model
        // suggested only one tag, i.e. every other tag was under the suggestion threshold).
        var offset = (page - 1) * pageSize;
        var vocabularyName = vocabulary.ToString();
        var ranked = await db.Database.SqlQuery<RankedWork>($"""
            SELECT s."ArtworkId",
                   (max(s."Confidence") - coalesce((array_agg(s."Confidence" ORDER BY s."Confidence" DESC))[2], 0))::double precision AS "Margin"
            FROM "ArtworkTags" s JOIN "Tags" t ON t."Id" = s."TagId"
            WHERE s."Source" = 'Model' AND s."Status" = 'Suggested' AND t."Vocabulary" = {vocabularyName}
              AND NOT EXISTS (SELECT 1 FROM "ArtworkTags" a JOIN "Tags" at ON at."Id" = a."TagId"
                              WHERE a."ArtworkId" = s."ArtworkId" AND a."Status" = 'Accepted' AND at."Vocabulary" = {vocabularyName})
            GROUP BY s."ArtworkId"
            ORDER BY "Margin", s."ArtworkId"
            LIMIT {pageSize} OFFSET {offset}
            """).ToListAsync(cancellationToken);
        var ids = ranked.Select(r => r.ArtworkId).ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        var suggestions = (await OpenSuggestions(db, vocabulary).Where(t => ids.Contains(t.ArtworkId))
                .Select(t => new { t.ArtworkId, Tag = new SuggestedTag(t.TagId, t.Tag!.Name, t.Tag.Slug, t.Confidence) })
                .ToListAsync(cancellationToken))
            .ToLookup(s => s.ArtworkId, s => s.Tag);
        var items = ranked.Where(r => cards.ContainsKey(r.ArtworkId))
            .Select(r => new ReviewItem(cards[r.ArtworkId], [.. suggestions[r.ArtworkId].OrderByDescending(s => s.Confidence)], r.Margin, vocabulary))
            .ToList();
        return new Page<ReviewItem>(items, total, page, pageSize);
    }

    /// <summary>Accepts or rejects suggestions in one transaction, with their audit rows; decisions on suggestions that are gone count as stale.</summary>
    public async Task<ReviewOutcome> DecideAsync(ClaimsPrincipal caller, IReadOnlyCollection<ReviewDecision> decisions, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Decide on suggestions", cancellationToken);
        ArgumentNullException.ThrowIfNull(decisions);
        if (decisions.Count > TaggingService.MaxSelection)
        {
            throw new CurationException($"Decide on at most {TaggingService.MaxSelection} suggestions at a time.");
        }

        var unique = decisions.DistinctBy(d => (d.ArtworkId, d.TagId)).ToList();
        var workIds = unique.Select(d => d.ArtworkId).Distinct().ToList();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var open = await OpenSuggestions(db).Include(t => t.Tag).Where(t => workIds.Contains(t.ArtworkId)).ToListAsync(cancellationToken);
        var byKey = open.ToDictionary(t => (t.ArtworkId, t.TagId));
        var actor = Actor.Of(caller);
        var now = time.GetUtcNow();
        int accepted = 0, rejected = 0, stale = 0;
        var settled = new HashSet<(int ArtworkId, TagVocabulary Vocabulary)>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var decision in unique)
        {
            // Gone (another curator decided, or the model revised it), or a second accept for a work already settled in that vocabulary.
            if (!byKey.TryGetValue((decision.ArtworkId, decision.TagId), out var row) || row.Status != TagStatus.Suggested || (decision.Accept && settled.Contains((row.ArtworkId, row.Tag!.Vocabulary))))
            {
                stale++;
                continue;
            }

            row.Status = decision.Accept ? TagStatus.Accepted : TagStatus.Rejected;
            db.TagAudits.Add(actor.Audit(row.ArtworkId, row.TagId, decision.Accept ? TagAuditAction.Accepted : TagAuditAction.Rejected, TagSource.Model, row.Confidence, now));
            if (decision.Accept)
            {
                accepted++;
                settled.Add((row.ArtworkId, row.Tag!.Vocabulary));
            }
            else
            {
                rejected++;
            }
        }

        // The work now has its tag of that vocabulary: its other open suggestions of it are moot, not rejections.
        foreach (var row in open.Where(r => settled.Contains((r.ArtworkId, r.Tag!.Vocabulary)) && r.Status == TagStatus.Suggested))
        {
            db.ArtworkTags.Remove(row);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (accepted + rejected > 0)
        {
            recognitionSignal.Notify();
        }

        return new ReviewOutcome(accepted, rejected, stale);
    }

    /// <summary>
    /// Works whose accepted style the current model gives under <see cref="SecondLookCuratorBelow"/>
    /// while giving another style over <see cref="SecondLookModelAbove"/>, most doubted first.
    /// </summary>
    public async Task<IReadOnlyList<SecondLookItem>> ListSecondLookAsync(ClaimsPrincipal caller, int limit = 100, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "List works for a second look", cancellationToken);
        limit = Math.Clamp(limit, 1, 1000);
        var flagged = new List<(int ArtworkId, string Curator, double CuratorProbability, string Model, double ModelProbability)>();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var lastId = 0;
        while (recognition.Status.IsTrained)
        {
            var batch = await db.ArtworkTags.AsNoTracking()
                .Where(t => t.ArtworkId > lastId && t.Status == TagStatus.Accepted && t.Tag!.Vocabulary == TagVocabulary.Style)
                .Where(t => t.Artwork!.Embedding != null && t.Artwork.Embedding.EncoderVersion == StyleEncoder.Version)
                .OrderBy(t => t.ArtworkId).Take(500)
                .Select(t => new { t.ArtworkId, t.Tag!.Slug, t.Tag.Name, t.Artwork!.Embedding!.Style, t.Artwork.Embedding.Content })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            lastId = batch[^1].ArtworkId;
            foreach (var work in batch.GroupBy(b => b.ArtworkId))
            {
                var first = work.First();
                var predictions = recognition.Predict(first.Style.ToArray(), first.Content.ToArray(), int.MaxValue);
                var best = predictions[0];
                var curatorSlugs = work.Select(w => w.Slug).ToHashSet(StringComparer.Ordinal);
                var curator = predictions.Where(p => curatorSlugs.Contains(p.Slug)).OrderByDescending(p => p.Probability).FirstOrDefault();

                // A style the model has not learned says nothing about the curator's choice.
                if (curator is not null && curator.Probability < SecondLookCuratorBelow && !curatorSlugs.Contains(best.Slug) && best.Probability > SecondLookModelAbove)
                {
                    flagged.Add((work.Key, curator.Name, curator.Probability, best.Name, best.Probability));
                }
            }
        }

        flagged = [.. flagged.OrderByDescending(f => f.ModelProbability - f.CuratorProbability).ThenBy(f => f.ArtworkId).Take(limit)];
        var ids = flagged.Select(f => f.ArtworkId).ToList();
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => ids.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        return [.. flagged.Where(f => cards.ContainsKey(f.ArtworkId)).Select(f => new SecondLookItem(cards[f.ArtworkId], f.Curator, f.CuratorProbability, f.Model, f.ModelProbability))];
    }

    /// <summary>Open model suggestions on works without an accepted tag of the suggestion's own vocabulary.</summary>
    private static IQueryable<ArtworkTag> OpenSuggestions(GalleryDbContext db) =>
        db.ArtworkTags.Where(t => t.Source == TagSource.Model && t.Status == TagStatus.Suggested
            && !t.Artwork!.Tags.Any(a => a.Status == TagStatus.Accepted && a.Tag!.Vocabulary == t.Tag!.Vocabulary));

    private static IQueryable<ArtworkTag> OpenSuggestions(GalleryDbContext db, TagVocabulary vocabulary) =>
        OpenSuggestions(db).Where(t => t.Tag!.Vocabulary == vocabulary);

    private sealed class RankedWork
    {
        public int ArtworkId { get; set; }

        public double Margin { get; set; }
    }
}
