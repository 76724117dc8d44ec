using ArtGallery.Core;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Recognition;
using ArtGallery.Data.Entities;
using MudBlazor;

namespace ArtGallery.Web.Features.Curation;

public sealed partial class ReviewQueuePage
{
    private readonly HashSet<int> _selected = [];
    private Page<ReviewItem>? _queue;
    private IReadOnlyList<SecondLookItem>? _secondLook;
    private bool _busy;
    private int _page = 1;
    private TagVocabulary _vocabulary = TagVocabulary.Style;

    [Inject]
    private ReviewQueueService Review { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync() => await ReloadAsync();

    private async Task ReloadAsync() => await LoadPageAsync(_page);

    private async Task LoadPageAsync(int page)
    {
        _page = page;
        _queue = await Review.ListSuggestionsAsync(await CallerAsync(), page, vocabulary: _vocabulary);
        if (_queue.Items.Count == 0 && page > 1)
        {
            _page = 1;
            _queue = await Review.ListSuggestionsAsync(await CallerAsync(), 1, vocabulary: _vocabulary);
        }

        _selected.IntersectWith(_queue.Items.Select(i => i.Card.Id));
    }

    /// <summary>Shows another vocabulary's suggestions, from its first page, with nothing selected.</summary>
    private async Task SwitchAsync(TagVocabulary vocabulary)
    {
        if (vocabulary == _vocabulary)
        {
            return;
        }

        _vocabulary = vocabulary;
        _selected.Clear();
        _queue = null;
        await LoadPageAsync(1);
    }

    /// <summary>"style", "subject", "medium": how the page names one tag of a vocabulary.</summary>
    private static string Noun(TagVocabulary vocabulary) => vocabulary.ToString().ToLowerInvariant();

    private async Task LoadSecondLookAsync() => _secondLook = await Review.ListSecondLookAsync(await CallerAsync());

    private void Toggle(int artworkId, bool on)
    {
        if (on)
        {
            _selected.Add(artworkId);
        }
        else
        {
            _selected.Remove(artworkId);
        }
    }

    private Task DecideSelectedAsync(bool accept) =>
        DecideAsync([.. _queue!.Items.Where(i => _selected.Contains(i.Card.Id) && i.Suggestions.Count > 0)
            .Select(i => new ReviewDecision(i.Card.Id, i.Suggestions[0].TagId, accept))]);

    private async Task DecideAsync(IReadOnlyCollection<ReviewDecision> decisions)
    {
        _busy = true;
        try
        {
            var outcome = await Review.DecideAsync(await CallerAsync(), decisions);
            Snackbar.Add($"Accepted {outcome.Accepted}, rejected {outcome.Rejected}{(outcome.Stale > 0 ? $", {outcome.Stale} already decided" : "")}. The recogniser is retraining.", Severity.Success);
            _selected.ExceptWith(decisions.Select(d => d.ArtworkId));
            await ReloadAsync();
        }
        catch (Exception ex) when (ex is CurationException or GalleryAccessDeniedException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> CallerAsync() => (await AuthenticationState).User;
}
