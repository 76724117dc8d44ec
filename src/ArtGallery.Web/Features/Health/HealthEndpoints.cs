using System.Text.Json;
using ArtGallery.Core.Health;
using ArtGallery.Engines.Gan;

namespace ArtGallery.Web.Features.Health;

public static class HealthEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", async (GalleryHealth health, ArtGallery.Engines.Music.MelodyGenerator melody, ArtGallery.Engines.Studio.StyleTransferEngine transfer, GanGenerator gan,
            ArtGallery.Engines.Poetry.PoemGenerator poem, CancellationToken ct) =>
        {
            var report = await health.CheckAsync(ct);
            var status = report.Status == "Unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            return Results.Json(new
            {
                status = report.Status,
                database = report.Database,
                vectorExtension = report.VectorExtension,
                encoder = report.Encoder,
                encoderVersion = report.EncoderVersion,
                executionProvider = report.ExecutionProvider,
                artworks = report.Artworks,
                embedded = report.Embedded,
                gan = gan.IsAvailable ? "available" : "unavailable",
                ganProvider = gan.Provider,
                problem = report.Problem,
                melody = new { available = melody.IsAvailable, executionProvider = melody.Provider, problem = melody.UnavailableReason },
                poem = new { available = poem.IsAvailable, executionProvider = poem.Provider, problem = poem.UnavailableReason },
                styleTransfer = Studio.StudioWebExtensions.Health(transfer),
            }, Json, statusCode: status);
        });
        return endpoints;
    }
}
