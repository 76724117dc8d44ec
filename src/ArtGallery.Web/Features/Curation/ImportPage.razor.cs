using System.Security.Claims;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Jobs;
using ArtGallery.Data.Entities;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace ArtGallery.Web.Features.Curation;

/// <summary>
/// Upload a batch, watch its durable job (the list is read from the job table, so it survives a
/// reload), then read the per-row report. Every service call carries the signed-in caller.
/// </summary>
public sealed partial class ImportPage
{
    /// <summary>Largest upload per file (a ZIP of a whole collection can be large).</summary>
    public const long MaxUploadBytes = 2L * 1024 * 1024 * 1024;

    private readonly CancellationTokenSource _cts = new();
    private ClaimsPrincipal _caller = GalleryAccess.Anonymous;
    private bool _mayCurate;
    private bool _uploading;
    private bool _inputReady;
    private string? _error;
    private IReadOnlyList<JobView> _jobs = [];
    private long _selected;
    private ImportReport? _report;
    private PeriodicTimer? _timer;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private BulkImportService Imports { get; set; } = null!;

    [Inject]
    private ImportPlanner Planner { get; set; } = null!;

    [Inject]
    private TimeProvider Clock { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        _caller = AuthenticationState is null ? GalleryAccess.Anonymous : (await AuthenticationState).User;
        _mayCurate = GalleryAccess.Allows(_caller, AccessLevel.Curate);
        if (_mayCurate)
        {
            await RefreshAsync();
            _selected = _jobs.Count > 0 ? _jobs[0].Id : 0;
            await LoadReportAsync();
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // InputFile starts its script in its own first after-render; enabling the input in the render
        // after this one means the browser has run that script before a file can be chosen.
        if (firstRender && RendererInfo.IsInteractive)
        {
            _inputReady = true;
            StateHasChanged();
        }

        if (firstRender && _mayCurate)
        {
            _ = PollAsync();
        }
    }

    /// <summary>While an import runs, refresh its progress every second; the report follows when it ends.</summary>
    private async Task PollAsync()
    {
        _timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Clock);
        try
        {
            while (await _timer.WaitForNextTickAsync(_cts.Token))
            {
                if (!_jobs.Any(j => j.State is JobState.Running or JobState.Queued))
                {
                    continue;
                }

                try
                {
                    await RefreshAsync();
                    await LoadReportAsync();
                }
                catch (Exception e) when (Security.DatabaseOutage.Is(e))
                {
                    // The database is away for a moment: keep polling, or the progress froze for good.
                    continue;
                }

                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task RefreshAsync() => _jobs = await Imports.RecentAsync(_caller, 10, _cts.Token);

    private async Task LoadReportAsync() => _report = _selected == 0 ? null : await Imports.ReportAsync(_caller, _selected, _cts.Token);

    private async Task SelectAsync(long jobId)
    {
        _selected = jobId;
        await LoadReportAsync();
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        _error = null;
        _uploading = true;
        var folder = Path.Combine(Planner.UploadsRoot, Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(folder);
            var saved = new List<string>();
            foreach (var file in e.GetMultipleFiles(maximumFileCount: 5000))
            {
                // The browser's name is only a hint: keep the last segment, never a path.
                var name = Path.GetFileName(file.Name.Replace('\\', '/'));
                if (name.Length == 0 || name.StartsWith('.'))
                {
                    continue;
                }

                var target = Path.Combine(folder, name);
                await using var output = File.Create(target);
                await using var input = file.OpenReadStream(MaxUploadBytes, _cts.Token);
                await input.CopyToAsync(output, _cts.Token);
                saved.Add(target);
            }

            var path = saved.Count == 1 && saved[0].EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? saved[0]
                : saved.FirstOrDefault(s => s.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) ?? folder;
            _selected = await Imports.EnqueueAsync(_caller, new ImportRequest(path), _cts.Token);
            await RefreshAsync();
            await LoadReportAsync();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or GalleryAccessDeniedException)
        {
            _error = $"The upload failed: {ex.Message}";
        }
        finally
        {
            _uploading = false;
        }
    }

    private static Color OutcomeColour(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Imported => Color.Success,
        IngestOutcome.Updated => Color.Info,
        IngestOutcome.Failed => Color.Error,
        _ => Color.Default,
    };

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
        _timer?.Dispose();
    }
}
