using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recommendations;

namespace ArtGallery.Core.Curation;

/// <summary>
/// Editing collections: curated ones (curators; published ones appear in the gallery) and a signed-in
/// visitor's own saved collections (their owner only, or an admin). Works keep a dense 0..n-1 order.
/// </summary>
public sealed class CollectionCurationService(IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider time, CallerVerifier callers)
{
    public const int MaxWorksPerCollection = 10_000;

    /// <summary>The collections the caller may edit: every curated one for curators, and their own.</summary>
    public async Task<IReadOnlyList<CollectionListing>> ListEditableAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Engage, "List your collections", cancellationToken);
        var userId = GalleryAccess.UserId(caller);
        var curator = GalleryAccess.Allows(caller, AccessLevel.Curate);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Collections.AsNoTracking().Where(c => (curator && c.OwnerId == null) || (userId != null && c.OwnerId == userId))
            .OrderBy(c => c.OwnerId != null).ThenBy(c => c.Name)
            .Select(c => new CollectionListing(c.Id, c.Name, c.Slug, c.IsPublished, c.OwnerId != null, c.Items.Count))
            .ToListAsync(cancellationToken);
    }

    public async Task<CollectionEditView> GetForEditAsync(ClaimsPrincipal caller, int collectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var collection = await LoadEditableAsync(db, caller, collectionId, "Edit a collection", cancellationToken);
        var order = await db.CollectionItems.Where(i => i.CollectionId == collectionId).OrderBy(i => i.Position).Select(i => i.ArtworkId).ToListAsync(cancellationToken);
        var cards = await GalleryService.ToCards(db.Artworks.Where(a => order.Contains(a.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);
        return new CollectionEditView(collection.Id, collection.Name, collection.Slug, collection.Description, collection.IsPublished, collection.OwnerId != null,
            collection.CoverArtworkId, [.. order.Where(cards.ContainsKey).Select(id => cards[id])]);
    }

    /// <summary>A new, unpublished curated collection.</summary>
    public async Task<CollectionListing> CreateCuratedAsync(ClaimsPrincipal caller, string name, string? description, CancellationToken cancellationToken = default)
    {
        await callers.DemandAsync(caller, AccessLevel.Curate, "Create a curated collection", cancellationToken);
        return await CreateAsync(null, name, description, cancellationToken);
    }

    /// <summary>A new saved collection of the caller's own, visible to them only.</summary>
    public async Task<CollectionListing> CreatePersonalAsync(ClaimsPrincipal caller, string name, string? description, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Engage, "Create a saved collection", cancellationToken);
        return await CreateAsync(GalleryAccess.UserId(caller) ?? throw new GalleryAccessDeniedException(AccessLevel.Engage, "Create a saved collection"), name, description, cancellationToken);
    }

    public async Task UpdateAsync(ClaimsPrincipal caller, int collectionId, string name, string? description, CancellationToken cancellationToken = default)
    {
        var (cleanName, cleanDescription) = Clean(name, description);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var collection = await LoadEditableAsync(db, caller, collectionId, "Edit a collection", cancellationToken);
        collection.Name = cleanName;
        collection.Description = cleanDescription;
        collection.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Publishes (shows in the gallery) or withdraws a curated collection.</summary>
    public async Task SetPublishedAsync(ClaimsPrincipal caller, int collectionId, bool published, CancellationToken cancellationToken = default)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Publish a collection", cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var collection = await LoadEditableAsync(db, caller, collectionId, "Publish a collection", cancellationToken);
        if (collection.OwnerId is not null)
        {
            throw new CurationException("A visitor's saved collection stays private; only curated collections are published.");
        }

        collection.IsPublished = published;
        collection.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Appends a work at the end; adding a work that is already there changes nothing.</summary>
    public async Task AddWorkAsync(ClaimsPrincipal caller, int collectionId, int artworkId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var collection = await LoadEditableAsync(db, caller, collectionId, "Add a work to a collection", cancellationToken);
        if (!await db.Artworks.AnyAsync(a => a.Id == artworkId, cancellationToken))
        {
            throw new CurationException("That work no longer exists.");
        }

        if (await db.CollectionItems.AnyAsync(i => i.CollectionId == collectionId && i.ArtworkId == artworkId, cancellationToken))
        {
            return;
        }

        var count = await db.CollectionItems.CountAsync(i => i.CollectionId == collectionId, cancellationToken);
        if (count >= MaxWorksPerCollection)
        {
            throw new CurationException($"A collection holds at most {MaxWorksPerCollection} works.");
        }

        db.CollectionItems.Add(new CollectionItem { CollectionId = collectionId, ArtworkId = artworkId, Position = count });
        collection.UpdatedAt = time.GetUtcNow();
        if (collection.OwnerId is { } owner)
        {
            // Saving to a personal collection is a taste signal for the owner's "For you" feed.
            db.Engagements.Add(new EngagementEvent { VisitorKey = VisitorKeys.ForAccount(owner), Kind = EngagementKind.Save, ArtworkId = artworkId, At = collection.UpdatedAt });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RemoveWorkAsync(ClaimsPrincipal caller, int collectionId, int artworkId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var collection = await LoadEditableAsync(db, caller, collectionId, "Remove a work from a collection", cancellationToken);
        var items = await db.CollectionItems.Where(i => i.CollectionId == collectionId).OrderBy(i => i.Position).ToListAsync(cancellationToken);
        var item = items.FirstOrDefault(i => i.ArtworkId == artworkId);
        if (item is null)
        {
            return;
        }

        db.CollectionItems.Remove(item);
        items.Remove(item);
        Renumber(items);
        if (collection.CoverArtworkId == artworkId)
        {
            collection.CoverArtworkId = null;
        }

        collection.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Moves a work <paramref name="offset"/> places (negative = earlier), clamped to the ends.</summary>
    public async Task MoveWorkAsync(ClaimsPrincipal caller, int collectionId, int artworkId, int offset, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var collection = await LoadEditableAsync(db, caller, collectionId, "Reorder a collection", cancellationToken);
        var items = await db.CollectionItems.Where(i => i.CollectionId == collectionId).OrderBy(i => i.Position).ThenBy(i => i.ArtworkId).ToListAsync(cancellationToken);
        var from = items.FindIndex(i => i.ArtworkId == artworkId);
        if (from < 0)
        {
            throw new CurationException("That work is not in this collection.");
        }

        var to = Math.Clamp(from + offset, 0, items.Count - 1);
        var item = items[from];
        items.RemoveAt(from);
        items.Insert(to, item);
        Renumber(items);
        collection.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sets the cover to one of the collection's works, or back to its first work with null.</summary>
    public async Task SetCoverAsync(ClaimsPrincipal caller, int collectionId, int? artworkId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var collection = await LoadEditableAsync(db, caller, collectionId, "Set a collection's cover", cancellationToken);
        if (artworkId is { } id && !await db.CollectionItems.AnyAsync(i => i.CollectionId == collectionId && i.ArtworkId == id, cancellationToken))
        {
            throw new CurationException("The cover must be one of the collection's works.");
        }

        collection.CoverArtworkId = artworkId;
        collection.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<CollectionListing> CreateAsync(string? ownerId, string name, string? description, CancellationToken cancellationToken)
    {
        var (cleanName, cleanDescription) = Clean(name, description);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        // Slugs are unique across all collections; a personal one or a repeated name gets a suffix.
        var baseSlug = Slug.From(cleanName);
        var slug = baseSlug;
        for (var n = 2; await db.Collections.AnyAsync(c => c.Slug == slug, cancellationToken); n++)
        {
            slug = $"{baseSlug}-{n}";
        }

        var now = time.GetUtcNow();
        var collection = new Collection { Name = cleanName, Slug = slug, Description = cleanDescription, OwnerId = ownerId, CreatedAt = now, UpdatedAt = now };
        db.Collections.Add(collection);
        await db.SaveChangesAsync(cancellationToken);
        return new CollectionListing(collection.Id, cleanName, slug, false, ownerId is not null, 0);
    }

    /// <summary>
    /// Loads a collection for a change, after the access rule: a curated collection needs the Curate
    /// level, a saved one its owner (or an admin). Missing and forbidden read the same to a non-curator.
    /// </summary>
    private async Task<Collection> LoadEditableAsync(GalleryDbContext db, ClaimsPrincipal caller, int collectionId, string operation, CancellationToken cancellationToken)
    {
        caller = await callers.DemandAsync(caller, AccessLevel.Engage, operation, cancellationToken);
        var collection = await db.Collections.FirstOrDefaultAsync(c => c.Id == collectionId, cancellationToken);
        if (collection?.OwnerId is null)
        {
            GalleryAccess.Demand(caller, AccessLevel.Curate, operation);
            return collection ?? throw new CurationException("That collection no longer exists.");
        }

        if (collection.OwnerId != GalleryAccess.UserId(caller))
        {
            GalleryAccess.Demand(caller, AccessLevel.Administer, $"{operation} (another visitor's)");
        }

        return collection;
    }

    private static (string Name, string? Description) Clean(string name, string? description)
    {
        name = (name ?? string.Empty).Trim();
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (name.Length is 0 or > 300)
        {
            throw new CurationException("A collection needs a name of 1 to 300 characters.");
        }

        return description is { Length: > 4000 } ? throw new CurationException("Keep the description under 4,000 characters.") : (name, description);
    }

    private static void Renumber(List<CollectionItem> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            items[i].Position = i;
        }
    }
}
