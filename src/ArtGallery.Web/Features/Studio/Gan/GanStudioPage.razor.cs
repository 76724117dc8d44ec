using ArtGallery.Core.Studio;
using ArtGallery.Core.Studio.Gan;
using Microsoft.JSInterop;

namespace ArtGallery.Web.Features.Studio.Gan;

public sealed partial class GanStudioPage : IAsyncDisposable
{
    private readonly List<GanPicture> _grid = [];
    private readonly List<GanPicture> _bred = [];
    private readonly List<GanPicture> _picks = [];
    private string _seedText = "1-16";
    private bool _busy;
    private string _stage = string.Empty;
    private string? _error;
    private int _frames = 8;
    private float _mutation = 0.2f;
    private int _breeds;
    private IReadOnlyList<string>? _morph;
    private string _morphLabel = string.Empty;
    private int _frame;
    private int _upscaleSide = 512;
    private string _largeLabel = string.Empty;
    private int _largeSide;
    private byte[]? _largePng;
    private string _downloadName = "gan.png";
    private bool _largeShown = true;
    private ElementReference _largeImage;
    private ElementReference _downloadLink;
    private IJSObjectReference? _blobImage;

    private long? _savedId;

    [Inject]
    private GanStudioService Studio { get; set; } = null!;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    [Inject]
    private CreationService Creations { get; set; } = null!;

    [Inject]
    private StudioOwner Owner { get; set; } = null!;

    /// <summary>
    /// What "save to My creations" keeps: the current pick A upscaled, as PNG, with a title and its
    /// provenance (seed, or parents and mutation).
    /// </summary>
    public async Task<(byte[] Png, string Title, string Provenance)?> PickForCreationAsync()
    {
        if (_picks.Count == 0)
        {
            return null;
        }

        var pick = _picks[0];
        var png = _largePng is not null && _largeLabel == pick.Label ? _largePng : await GanStudioService.UpscaleAsync(pick, _upscaleSide);
        var provenance = pick.Parents.Count == 0
            ? $"GAN painter ({ArtGallery.Engines.Studio.Gan.GanGenerator.ModelId}), {pick.Label}"
            : $"GAN painter ({ArtGallery.Engines.Studio.Gan.GanGenerator.ModelId}), bred: {pick.Label}, generation {pick.Generation}";
        return (png, $"Generated: {pick.Label}", provenance);
    }

    /// <summary>Saves the pick as a creation of this visitor (embedded like the style-transfer results).</summary>
    private async Task SaveAsync()
    {
        if (await PickForCreationAsync() is not { } pick)
        {
            return;
        }

        if (await Owner.GetAsync() is not { } owner)
        {
            _error = "Your browser did not keep our visitor cookie, so there is nowhere to save this. Allow first-party cookies, or sign in.";
            return;
        }

        try
        {
            _error = null;
            var parameters = System.Text.Json.JsonSerializer.Serialize(new { provenance = pick.Provenance });
            _savedId = await Creations.SaveAsync(owner, new NewCreation("gan", pick.Title, pick.Png, parameters));
        }
        catch (StudioRequestException ex)
        {
            _error = ex.Message;
        }
    }

    private async Task GenerateAsync()
    {
        IReadOnlyList<long> seeds;
        try
        {
            seeds = GanStudioService.ParseSeeds(_seedText);
        }
        catch (StudioRequestException ex)
        {
            _error = ex.Message;
            return;
        }

        await RunAsync($"Painting {seeds.Count} pictures…", async () =>
        {
            var pictures = await Studio.GridAsync(seeds);
            _grid.Clear();
            _grid.AddRange(pictures);
            _picks.RemoveAll(p => p.Parents.Count == 0);
        });
    }

    private void Pick(GanPicture picture)
    {
        _picks.RemoveAll(p => p.Id == picture.Id);
        _picks.Add(picture);
        if (_picks.Count > 2)
        {
            _picks.RemoveAt(0);
        }
    }

    private Task MorphAsync()
    {
        var (a, b) = (_picks[0], _picks[1]);
        var frames = _frames;
        return RunAsync($"Morphing over {frames} frames…", async () =>
        {
            _morph = [.. (await Studio.MorphAsync(a, b, frames)).Select(png => "data:image/png;base64," + Convert.ToBase64String(png))];
            _morphLabel = $"{a.Label} → {b.Label}";
            _frame = 0;
        });
    }

    private Task BreedAsync()
    {
        var (a, b) = (_picks[0], _picks[1]);
        var mutation = _mutation;
        var breedSeed = ++_breeds;
        return RunAsync("Breeding…", async () => _bred.Add(await Studio.BreedAsync(a, b, mutation, breedSeed)));
    }

    private Task Upscale()
    {
        var pick = _picks[0];
        var side = _upscaleSide;
        return RunAsync($"Upscaling to {side} px…", async () =>
        {
            _largePng = await GanStudioService.UpscaleAsync(pick, side);
            _largeShown = false;
            _largeLabel = pick.Label;
            _largeSide = side;
            _downloadName = $"gan-{pick.Id.Replace('(', '-').Replace(')', '-')}-{side}.png";
        });
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_largeShown || _largePng is null)
        {
            return;
        }

        _largeShown = true;
        _blobImage ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/blob-image.js");
        using var stream = new DotNetStreamReference(new MemoryStream(_largePng, writable: false));
        await _blobImage.InvokeVoidAsync("show", _largeImage, _downloadLink, stream, _downloadName);
    }

    public async ValueTask DisposeAsync()
    {
        if (_blobImage is not null)
        {
            try
            {
                await _blobImage.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
    }

    /// <summary>Shows the stage while <paramref name="work"/> awaits the studio service (which paints off the circuit's thread).</summary>
    private async Task RunAsync(string stage, Func<Task> work)
    {
        _busy = true;
        _stage = stage;
        _error = null;
        StateHasChanged();
        try
        {
            await work();
        }
        catch (StudioRequestException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private string? MarkOf(GanPicture picture) =>
        _picks.Count > 0 && _picks[0].Id == picture.Id ? "A" : _picks.Count > 1 && _picks[1].Id == picture.Id ? "B" : null;

    private string LabelOf(string id) =>
        _grid.Concat(_bred).FirstOrDefault(p => p.Id == id)?.Label ?? id;

    private string FrameAlt(int i) =>
        string.Create(CultureInfo.InvariantCulture, $"Morph frame {i + 1} of {_morph!.Count}, {_morphLabel}");

    /// <summary>The execution provider in words a visitor reads (ONNX Runtime's name is for the logs).</summary>
    private static string RunsOn(string provider) => provider switch
    {
        _ when provider.Contains("CUDA", StringComparison.OrdinalIgnoreCase) => "Drawn on the server's graphics card",
        _ when provider.Contains("CPU", StringComparison.OrdinalIgnoreCase) => "Drawn on the server's processor (a few seconds a grid)",
        _ => "Drawn on the server",
    };
}
