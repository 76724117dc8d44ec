using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recognition;

namespace ArtGallery.Core.Curation;

/// <summary>
/// Controlled vocabularies with hierarchy, free tags, and bulk tagging of a selection of works. Every
/// change writes its <see cref="TagAudit"/> row in the same transaction as the change.
/// </summary>
public sealed class TaggingService(IDbContextFactory<GalleryDbContext> contextFactory, RecognitionSignal recognitionSignal, TimeProvider time, CallerVerifier callers)
{
    /// <summary>Works one bulk operation may touch: large enough for any real selection, small enough for one transaction.</summary>
    public const int MaxSelection = 5000;

    /// <summary>Every tag, broader terms first within each vocabulary; anyone may read the vocabularies.</summary>
    public async Task<IReadOnlyList<VocabularyTag>> ListVocabularyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tags.AsNoTracking().OrderBy(t => t.Vocabulary).ThenBy(t => t.ParentId != null).ThenBy(t => t.Name)
            .Select(t => new VocabularyTag(t.Id, t.Vocabulary, t.Name, t.Slug, t.ParentId, t.Artworks.Count(a => a.Status == TagStatus.Accepted)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Adds a tag to a vocabulary, optionally under a broader tag of the same vocabulary.</summary>
    public async Task<VocabularyTag> CreateTagAsync(ClaimsPrincipal caller, TagVocabulary vocabulary, string name, int? parentId = null, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Create a tag", cancellationToken);
        name = (name ?? string.Empty).Trim();
        if (name.Length is 0 or > 200)
        {
            throw new CurationException("A tag needs a name of 1 to 200 characters.");
        }

        if (!Enum.IsDefined(vocabulary))
        {
            throw new CurationException($"There is no vocabulary '{vocabulary}'.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (parentId is { } parent)
        {
            var broader = await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Id == parent, cancellationToken)
                ?? throw new CurationException("The broader tag no longer exists.");
            if (broader.Vocabulary != vocabulary)
            {
                throw new CurationException($"A {vocabulary} tag cannot sit under the {broader.Vocabulary} tag '{broader.Name}'.");
            }
        }

        var slug = Slug.From(name);
        if (await db.Tags.AnyAsync(t => t.Vocabulary == vocabulary && t.Slug == slug, cancellationToken))
        {
            throw new CurationException($"The {vocabulary} vocabulary already has a tag '{name}'.");
        }

        var tag = new Tag { Vocabulary = vocabulary, Name = name, Slug = slug, ParentId = parentId };
        db.Tags.Add(tag);
        await db.SaveChangesAsync(cancellationToken);
        return new VocabularyTag(tag.Id, vocabulary, name, slug, parentId, 0);
    }

    /// <summary>Puts a tag on every selected work that lacks it; returns how many works got it.</summary>
    public async Task<int> TagWorksAsync(ClaimsPrincipal caller, IReadOnlyCollection<int> artworkIds, int tagId, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Tag works", cancellationToken);
        var ids = CheckSelection(artworkIds);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tag = await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tagId, cancellationToken) ?? throw new CurationException("That tag no longer exists.");
        var existing = await db.Artworks.Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);
        if (existing.Count != ids.Count)
        {
            throw new CurationException($"{ids.Count - existing.Count} of the selected works no longer exist; nothing was tagged.");
        }

        var already = await db.ArtworkTags.Where(t => ids.Contains(t.ArtworkId) && t.TagId == tagId && t.Status == TagStatus.Accepted)
            .Select(t => t.ArtworkId).ToListAsync(cancellationToken);
        var toTag = ids.Except(already).ToList();
        if (toTag.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var actor = Actor.Of(caller);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // A curator's row replaces any rejected one of theirs (a change of mind), and a curator-given
        // tag of a controlled vocabulary settles the work in it: the model's open suggestions of that
        // vocabulary for it are moot.
        await db.ArtworkTags.Where(t => toTag.Contains(t.ArtworkId) && t.TagId == tagId && t.Source == TagSource.Curator).ExecuteDeleteAsync(cancellationToken);
        if (tag.Vocabulary != TagVocabulary.Free)
        {
            await db.ArtworkTags.Where(t => toTag.Contains(t.ArtworkId) && t.Source == TagSource.Model && t.Status == TagStatus.Suggested && t.Tag!.Vocabulary == tag.Vocabulary)
                .ExecuteDeleteAsync(cancellationToken);
        }

        foreach (var id in toTag)
        {
            db.ArtworkTags.Add(new ArtworkTag { ArtworkId = id, TagId = tagId, Source = TagSource.Curator, Status = TagStatus.Accepted, Confidence = 1, CreatedBy = actor.Name, CreatedAt = now });
            db.TagAudits.Add(actor.Audit(id, tagId, TagAuditAction.Added, TagSource.Curator, 1, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (tag.Vocabulary != TagVocabulary.Free)
        {
            recognitionSignal.Notify();
        }

        return toTag.Count;
    }

    /// <summary>Takes a tag off every selected work that has it (a curator's tag or an accepted suggestion); returns how many lost it.</summary>
    public async Task<int> UntagWorksAsync(ClaimsPrincipal caller, IReadOnlyCollection<int> artworkIds, int tagId, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Untag works", cancellationToken);
        var ids = CheckSelection(artworkIds);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tag = await db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tagId, cancellationToken) ?? throw new CurationException("That tag no longer exists.");
        var rows = await db.ArtworkTags.Where(t => ids.Contains(t.ArtworkId) && t.TagId == tagId && t.Status == TagStatus.Accepted).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var actor = Actor.Of(caller);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var row in rows)
        {
            db.ArtworkTags.Remove(row);
            db.TagAudits.Add(actor.Audit(row.ArtworkId, tagId, TagAuditAction.Removed, row.Source, row.Confidence, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (tag.Vocabulary != TagVocabulary.Free)
        {
            recognitionSignal.Notify();
        }

        return rows.Select(r => r.ArtworkId).Distinct().Count();
    }

    /// <summary>The tag history of a work, newest first.</summary>
    public async Task<IReadOnlyList<TagAuditEntry>> AuditTrailAsync(ClaimsPrincipal caller, int artworkId, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Read a tag audit trail", cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.TagAudits.AsNoTracking().Where(a => a.ArtworkId == artworkId).OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Select(a => new TagAuditEntry(a.At, a.ActorName, a.Action, a.Tag!.Vocabulary.ToString(), a.Tag.Name, a.Source, a.Confidence))
            .ToListAsync(cancellationToken);
    }

    private static List<int> CheckSelection(IReadOnlyCollection<int> artworkIds)
    {
        ArgumentNullException.ThrowIfNull(artworkIds);
        var ids = artworkIds.Distinct().ToList();
        return ids.Count switch
        {
            0 => throw new CurationException("Select at least one work."),
            > MaxSelection => throw new CurationException($"Select at most {MaxSelection} works at a time ({ids.Count} selected)."),
            _ => ids,
        };
    }
}

/// <summary>The curator behind a change, as the audit trail records them.</summary>
internal sealed record Actor(string? Id, string Name)
{
    public static Actor Of(ClaimsPrincipal caller) =>
        new(GalleryAccess.UserId(caller), caller.Identity?.Name ?? GalleryAccess.UserId(caller) ?? "unknown");

    public TagAudit Audit(int artworkId, int tagId, TagAuditAction action, TagSource source, float confidence, DateTimeOffset at) =>
        new() { ArtworkId = artworkId, TagId = tagId, Action = action, Source = source, Confidence = confidence, ActorId = Id, ActorName = Name, At = at };
}
