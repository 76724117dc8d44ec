using ArtGallery.Core;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Gallery;

namespace ArtGallery.IntegrationTests;

/// <summary>Collections and tagging through the real services on a copy of the demo database.</summary>
public sealed class CurationTests(DemoDatabaseFixture fixture) : IClassFixture<DemoDatabaseFixture>
{
    private IServiceProvider Services => fixture.Services;

    [Fact]
    public async Task CuratedCollection_OrderedCoveredAndPublished_AppearsToVisitorsOnlyOncePublished()
    {
        var curator = await TestAccounts.CreateAsync(Services, "collector@example.test", GalleryRoles.Curator);
        var collections = Services.GetRequiredService<CollectionCurationService>();
        var gallery = Services.GetRequiredService<GalleryService>();

        var created = await collections.CreateCuratedAsync(curator, "  Quiet Seas ", "Calm water, mostly.");
        foreach (var id in new[] { 11, 12, 13 })
        {
            await collections.AddWorkAsync(curator, created.Id, id);
        }

        await collections.AddWorkAsync(curator, created.Id, 12);
        await collections.MoveWorkAsync(curator, created.Id, 13, -2);
        await collections.SetCoverAsync(curator, created.Id, 12);

        var edited = await collections.GetForEditAsync(curator, created.Id);
        Assert.Equal("Quiet Seas", edited.Name);
        Assert.Equal([13, 11, 12], edited.Works.Select(w => w.Id));
        Assert.Equal(12, edited.CoverArtworkId);
        Assert.Null(await gallery.GetCollectionAsync(created.Slug, GalleryAccess.Anonymous));
        Assert.NotNull(await gallery.GetCollectionAsync(created.Slug, curator));
        Assert.DoesNotContain(await gallery.ListCollectionsAsync(), c => c.Id == created.Id);

        await collections.SetPublishedAsync(curator, created.Id, true);

        var published = await gallery.GetCollectionAsync(created.Slug, GalleryAccess.Anonymous);
        Assert.NotNull(published);
        Assert.Equal(3, published.WorkCount);
        Assert.Contains(await gallery.ListCollectionsAsync(), c => c.Id == created.Id);
        var page = await gallery.BrowseAsync(new ArtworkQuery { CollectionId = created.Id, Sort = ArtworkSort.CollectionOrder });
        Assert.Equal([13, 11, 12], page.Items.Select(w => w.Id));

        await collections.RemoveWorkAsync(curator, created.Id, 12);
        edited = await collections.GetForEditAsync(curator, created.Id);
        Assert.Equal([13, 11], edited.Works.Select(w => w.Id));
        Assert.Null(edited.CoverArtworkId);
    }

    [Fact]
    public async Task SavedCollection_BelongsToItsOwner_OthersCannotSeeOrEditIt()
    {
        var owner = await TestAccounts.CreateAsync(Services, "owner@example.test");
        var other = await TestAccounts.CreateAsync(Services, "other@example.test");
        var curator = await TestAccounts.CreateAsync(Services, "nosy-curator@example.test", GalleryRoles.Curator);
        var admin = await TestAccounts.CreateAsync(Services, "moderator@example.test", GalleryRoles.Admin);
        var collections = Services.GetRequiredService<CollectionCurationService>();
        var gallery = Services.GetRequiredService<GalleryService>();

        var saved = await collections.CreatePersonalAsync(owner, "My favourites", null);
        await collections.AddWorkAsync(owner, saved.Id, 5);

        Assert.True(saved.IsPersonal);
        Assert.Contains(await collections.ListEditableAsync(owner), c => c.Id == saved.Id);
        Assert.DoesNotContain(await collections.ListEditableAsync(other), c => c.Id == saved.Id);
        Assert.DoesNotContain(await collections.ListEditableAsync(curator), c => c.Id == saved.Id);
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => collections.AddWorkAsync(other, saved.Id, 6));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => collections.AddWorkAsync(curator, saved.Id, 6));
        await Assert.ThrowsAsync<GalleryAccessDeniedException>(() => collections.SetPublishedAsync(owner, saved.Id, true));
        await Assert.ThrowsAsync<CurationException>(() => collections.SetPublishedAsync(admin, saved.Id, true));
        Assert.NotNull(await gallery.GetCollectionAsync(saved.Slug, owner));
        Assert.Null(await gallery.GetCollectionAsync(saved.Slug, other));
        Assert.Null(await gallery.GetCollectionAsync(saved.Slug, GalleryAccess.Anonymous));

        await collections.AddWorkAsync(admin, saved.Id, 7);
        Assert.Equal([5, 7], (await collections.GetForEditAsync(owner, saved.Id)).Works.Select(w => w.Id));
    }

    [Fact]
    public async Task Collection_BadInput_GetsAClearErrorAndLosesNothing()
    {
        var curator = await TestAccounts.CreateAsync(Services, "careful@example.test", GalleryRoles.Curator);
        var collections = Services.GetRequiredService<CollectionCurationService>();
        var created = await collections.CreateCuratedAsync(curator, "Careful", null);
        await collections.AddWorkAsync(curator, created.Id, 20);

        var blank = await Assert.ThrowsAsync<CurationException>(() => collections.UpdateAsync(curator, created.Id, "   ", "kept?"));
        var missing = await Assert.ThrowsAsync<CurationException>(() => collections.AddWorkAsync(curator, created.Id, 999_999));
        var cover = await Assert.ThrowsAsync<CurationException>(() => collections.SetCoverAsync(curator, created.Id, 21));

        Assert.Contains("name", blank.Message, StringComparison.Ordinal);
        Assert.Contains("no longer exists", missing.Message, StringComparison.Ordinal);
        Assert.Contains("cover", cover.Message, StringComparison.Ordinal);
        var after = await collections.GetForEditAsync(curator, created.Id);
        Assert.Equal(("Careful", (string?)null, null), (after.Name, after.Description, after.CoverArtworkId));
        Assert.Equal([20], after.Works.Select(w => w.Id));
    }

    [Fact]
    public async Task Vocabulary_SubMovementSitsUnderItsMovement_AndMixedOrDuplicateTagsAreRefused()
    {
        var curator = await TestAccounts.CreateAsync(Services, "lexicographer@example.test", GalleryRoles.Curator);
        var tagging = Services.GetRequiredService<TaggingService>();
        var movement = (await tagging.ListVocabularyAsync()).First(t => t.Vocabulary == TagVocabulary.Style);
        var subject = (await tagging.ListVocabularyAsync()).First(t => t.Vocabulary == TagVocabulary.Subject);

        var sub = await tagging.CreateTagAsync(curator, TagVocabulary.Style, $"Late {movement.Name}", movement.Id);

        Assert.Equal(movement.Id, sub.ParentId);
        Assert.Contains(await tagging.ListVocabularyAsync(), t => t.Id == sub.Id && t.ParentId == movement.Id);
        await Assert.ThrowsAsync<CurationException>(() => tagging.CreateTagAsync(curator, TagVocabulary.Style, "Crossed", subject.Id));
        await Assert.ThrowsAsync<CurationException>(() => tagging.CreateTagAsync(curator, TagVocabulary.Style, $"late {movement.Name}"));
        await Assert.ThrowsAsync<CurationException>(() => tagging.CreateTagAsync(curator, TagVocabulary.Free, " "));
    }

    [Fact]
    public async Task BulkTagging_TagsAndUntagsASelection_WithOneAuditRowPerChange()
    {
        var curator = await TestAccounts.CreateAsync(Services, "tagger@example.test", GalleryRoles.Curator);
        var tagging = Services.GetRequiredService<TaggingService>();
        var free = await tagging.CreateTagAsync(curator, TagVocabulary.Free, "Blue period");
        int[] selection = [101, 102, 103, 104, 105];

        Assert.Equal(5, await tagging.TagWorksAsync(curator, selection, free.Id));
        Assert.Equal(0, await tagging.TagWorksAsync(curator, selection, free.Id));
        Assert.Equal(2, await tagging.UntagWorksAsync(curator, [101, 102], free.Id));
        var refused = await Assert.ThrowsAsync<CurationException>(() => tagging.TagWorksAsync(curator, [101, 999_999], free.Id));

        Assert.Contains("no longer exist", refused.Message, StringComparison.Ordinal);
        await using var db = await Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        Assert.Equal([103, 104, 105], await db.ArtworkTags.Where(t => t.TagId == free.Id).OrderBy(t => t.ArtworkId).Select(t => t.ArtworkId).ToListAsync());
        var trail = await tagging.AuditTrailAsync(curator, 101);
        Assert.Equal([TagAuditAction.Removed, TagAuditAction.Added], trail.Select(a => a.Action));
        Assert.All(trail, a => Assert.Equal(("tagger@example.test", "Blue period", TagSource.Curator), (a.Actor, a.TagName, a.Source)));
        Assert.Equal(7, await db.TagAudits.CountAsync(a => a.TagId == free.Id));
    }
}
