using System.Text.Json;
using ArtGallery.Core.Health;
using ArtGallery.Engines.Runtime;

namespace ArtGallery.Web.Features.Health;

public static class HealthEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", async (GalleryHealth health, IEnumerable<IEngine> engines, CancellationToken ct) =>
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
                problem = report.Problem,

                // Every model engine in one shape, the encoder included.
                engines = engines.Select(e => e.Status).OrderBy(e => e.Engine, StringComparer.Ordinal).ToList(),
            }, Json, statusCode: status);
        });
        return endpoints;
    }
}
