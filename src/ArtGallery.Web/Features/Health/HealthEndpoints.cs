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
            var engineStatuses = engines.Select(e => e.Status).OrderBy(e => e.Engine, StringComparer.Ordinal).ToList();
            return Results.Json(report with { Engines = engineStatuses }, Json, statusCode: status);
        });
        return endpoints;
    }
}
