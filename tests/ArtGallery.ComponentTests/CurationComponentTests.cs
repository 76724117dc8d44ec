using ArtGallery.Core.Accounts;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Recognition;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using ArtGallery.Testing;
using ArtGallery.Web.Features.Accounts;
using ArtGallery.Web.Features.Curation;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ArtGallery.ComponentTests;

/// <summary>The review queue and the roles page, rendered by bUnit over the real services and a database of their own.</summary>
public sealed class CurationComponentTests(DemoDatabaseFixture fixture) : BunitContext, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private string _database = string.Empty;
    private ServiceProvider? _services;
    private BunitAuthorizationContext? _authorization;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CloneDemoAsync("ag_test");
        _services = TestDatabase.Services(_database, fixture.ImagesDirectory);
        Services.AddMudServices();
        Services.AddSingleton(_services.GetRequiredService<ReviewQueueService>());
        Services.AddSingleton(_services.GetRequiredService<AccountAdminService>());
        Services.AddSingleton(_services.GetRequiredService<CollectionCurationService>());
        Services.AddSingleton(_services.GetRequiredService<TaggingService>());
        _authorization = AddAuthorization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        // The review buttons are enabled only once interactive, as they are in a live circuit.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await TestDatabase.DropAsync(_database);
    }

    [Fact]
    public async Task ReviewQueue_AcceptAndReject_DecideThatSuggestionAndDropTheWorkFromTheQueue()
    {
        await using (var db = await Contexts().CreateDbContextAsync())
        {
            await db.ArtworkTags.Where(t => t.ArtworkId % 10 == 3 && t.Tag!.Vocabulary == TagVocabulary.Style).ExecuteDeleteAsync();
        }

        await _services!.GetRequiredService<StyleRecognitionService>().RefreshSuggestionsAsync();
        await TestAccounts.CreateAsync(_services!, "bunit-curator@example.test", GalleryRoles.Curator);
        _authorization!.SetAuthorized("bunit-curator@example.test").SetRoles(GalleryRoles.Curator);

        var cut = Render<ReviewQueuePage>();
        cut.WaitForAssertion(() => Assert.Equal(24, cut.FindAll("[data-testid=review-item]").Count));
        var accepted = FirstItem(cut);
        cut.Find($"[data-artwork-id='{accepted.Work}'] [data-testid=accept]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-artwork-id='{accepted.Work}']")));
        var rejected = FirstItem(cut);
        cut.Find($"[data-artwork-id='{rejected.Work}'] [data-testid=reject]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-artwork-id='{rejected.Work}'] [data-slug='{rejected.Slug}']")));

        await using var check = await Contexts().CreateDbContextAsync();
        var acceptedRow = await check.ArtworkTags.SingleAsync(t => t.ArtworkId == accepted.Work && t.Tag!.Slug == accepted.Slug);
        var rejectedRow = await check.ArtworkTags.SingleAsync(t => t.ArtworkId == rejected.Work && t.Tag!.Slug == rejected.Slug);
        Assert.Equal((TagSource.Model, TagStatus.Accepted), (acceptedRow.Source, acceptedRow.Status));
        Assert.Equal(TagStatus.Rejected, rejectedRow.Status);
        Assert.Equal(0, await check.ArtworkTags.CountAsync(t => t.ArtworkId == accepted.Work && t.Status == TagStatus.Suggested));
        Assert.Equal(2, await check.TagAudits.CountAsync(a => a.ActorName == "bunit-curator@example.test"));
    }

    [Fact]
    public async Task ReviewQueue_SwitchedToSubject_ListsSubjectSuggestions_AndAcceptsOneInOneClick()
    {
        await using (var db = await Contexts().CreateDbContextAsync())
        {
            await db.ArtworkTags.Where(t => t.ArtworkId % 10 == 3 && t.Tag!.Vocabulary == TagVocabulary.Style).ExecuteDeleteAsync();
            await db.ArtworkTags.Where(t => t.ArtworkId % 10 == 7 && t.Tag!.Vocabulary == TagVocabulary.Subject).ExecuteDeleteAsync();
        }

        var recogniser = _services!.GetRequiredService<VocabularyRecogniser>();
        await recogniser.Head(TagVocabulary.Style).RefreshSuggestionsAsync();
        await recogniser.Head(TagVocabulary.Subject).RefreshSuggestionsAsync();
        await TestAccounts.CreateAsync(_services!, "bunit-subjects@example.test", GalleryRoles.Curator);
        _authorization!.SetAuthorized("bunit-subjects@example.test").SetRoles(GalleryRoles.Curator);
        List<string> subjects;
        await using (var db = await Contexts().CreateDbContextAsync())
        {
            subjects = await db.Tags.Where(t => t.Vocabulary == TagVocabulary.Subject).Select(t => t.Slug).ToListAsync();
        }

        var cut = Render<ReviewQueuePage>();
        cut.WaitForAssertion(() => Assert.Equal(24, cut.FindAll("[data-testid=review-item]").Count));
        Assert.All(Works(cut), id => Assert.Equal(3, id % 10));
        Assert.Equal("true", cut.Find("[data-testid=vocabulary-Style]").GetAttribute("aria-pressed"));

        cut.Find("[data-testid=vocabulary-Subject]").Click();

        cut.WaitForAssertion(() =>
        {
            var works = Works(cut);
            Assert.Equal(24, works.Count);
            Assert.All(works, id => Assert.Equal(7, id % 10));
        });
        Assert.Equal("true", cut.Find("[data-testid=vocabulary-Subject]").GetAttribute("aria-pressed"));
        Assert.All(cut.FindAll("[data-testid=suggestion]"), s => Assert.Contains(s.GetAttribute("data-slug"), subjects));
        var accepted = FirstItem(cut);
        cut.Find($"[data-artwork-id='{accepted.Work}'] [data-testid=accept]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-artwork-id='{accepted.Work}']")));
        Assert.All(Works(cut), id => Assert.Equal(7, id % 10));

        await using var check = await Contexts().CreateDbContextAsync();
        var row = await check.ArtworkTags.SingleAsync(t => t.ArtworkId == accepted.Work && t.Tag!.Slug == accepted.Slug && t.Tag.Vocabulary == TagVocabulary.Subject);
        Assert.Equal((TagSource.Model, TagStatus.Accepted), (row.Source, row.Status));
    }

    [Fact]
    public async Task RolesPage_GrantingCurator_ShowsTheNewRoleAndStoresIt()
    {
        var visitor = await TestAccounts.CreateAsync(_services!, "bunit-visitor@example.test");
        _authorization!.SetAuthorized("bunit-admin@example.test").SetRoles(GalleryRoles.Admin);

        var cut = Render<AdminRolesPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-account='bunit-visitor@example.test']")));
        cut.Find("[data-account='bunit-visitor@example.test'] [data-testid=grant-curator]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Curator", cut.Find("[data-account='bunit-visitor@example.test'] [data-testid=account-roles]").TextContent));
        var stored = await _services!.GetRequiredService<AccountAdminService>().ListAccountsAsync(GalleryAccess.Operator);
        Assert.Equal([GalleryRoles.Curator], stored.Single(a => a.Id == GalleryAccess.UserId(visitor)).Roles);
    }

    [Fact]
    public async Task CollectionEditor_MovingTheLastWorkUp_ReordersItThereAndInTheDatabase()
    {
        var curator = await TestAccounts.CreateAsync(_services!, "bunit-editor@example.test", GalleryRoles.Curator);
        var collections = _services!.GetRequiredService<CollectionCurationService>();
        var collection = await collections.CreateCuratedAsync(curator, "Reordered", null);
        foreach (var id in new[] { 31, 32, 33 })
        {
            await collections.AddWorkAsync(curator, collection.Id, id);
        }

        _authorization!.SetAuthorized("bunit-editor@example.test").SetRoles(GalleryRoles.Curator);

        var cut = Render<CollectionEditorPage>(p => p.Add(c => c.Id, collection.Id));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=collection-work]").Count));
        var title = cut.Find("[data-artwork-id='33'] a").TextContent;
        cut.Find($"[data-artwork-id='33'] button[aria-label='Move {title} up']").Click();

        cut.WaitForAssertion(() => Assert.Equal(["31", "33", "32"], cut.FindAll("[data-testid=collection-work]").Select(e => e.GetAttribute("data-artwork-id"))));
        Assert.Equal([31, 33, 32], (await collections.GetForEditAsync(curator, collection.Id)).Works.Select(w => w.Id));
    }

    private static (int Work, string Slug) FirstItem(IRenderedComponent<ReviewQueuePage> cut)
    {
        var item = cut.Find("[data-testid=review-item]");
        return (int.Parse(item.GetAttribute("data-artwork-id")!, System.Globalization.CultureInfo.InvariantCulture),
            item.QuerySelector("[data-testid=suggestion]")!.GetAttribute("data-slug")!);
    }

    private static List<int> Works(IRenderedComponent<ReviewQueuePage> cut) =>
        [.. cut.FindAll("[data-testid=review-item]").Select(e => int.Parse(e.GetAttribute("data-artwork-id")!, System.Globalization.CultureInfo.InvariantCulture))];

    private IDbContextFactory<GalleryDbContext> Contexts() => _services!.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
}
