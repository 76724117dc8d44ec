using ArtGallery.Core.Studio.Melody;

namespace ArtGallery.Web.Features.Studio.Melody;

/// <summary>GET /studio/melody/melody.wav and melody.mid: the melody a settings query describes.</summary>
public static class MelodyEndpoints
{
    public static IEndpointRouteBuilder MapMelodyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(MelodyUrl.WavPath, (HttpRequest request, MelodyStudioService studio) =>
            Render(request, studio, c => Results.File(MelodyStudioService.Wav(c), "audio/wav", "melody.wav")));
        endpoints.MapGet(MelodyUrl.MidiPath, (HttpRequest request, MelodyStudioService studio) =>
            Render(request, studio, c => Results.File(MelodyStudioService.Midi(c), "audio/midi", "melody.mid")));
        return endpoints;
    }

    private static async Task<IResult> Render(HttpRequest request, MelodyStudioService studio, Func<Composition, IResult> result)
    {
        if (!studio.IsAvailable)
        {
            return Results.Problem($"the melody model is unavailable: {studio.UnavailableReason}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var (settings, problems) = MelodyUrl.Parse(request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase));
        return settings is null
            ? Results.Problem(string.Join("; ", problems), statusCode: StatusCodes.Status400BadRequest, title: "Bad melody settings")
            : result(await studio.ComposeAsync(settings, request.HttpContext.RequestAborted));
    }
}
