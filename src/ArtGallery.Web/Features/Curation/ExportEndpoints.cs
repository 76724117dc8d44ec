using System.Text;
using ArtGallery.Core.Export;

namespace ArtGallery.Web.Features.Curation;

/// <summary>Collection export: GET /collections/{id}/export.csv and /collections/{id}/manifest.json.</summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/collections/{id:int}/export.csv", CsvAsync);
        endpoints.MapGet("/collections/{id:int}/manifest.json", ManifestAsync);
        return endpoints;
    }

    private static async Task<IResult> CsvAsync(int id, HttpContext context, CollectionExporter exporter, CancellationToken cancellationToken)
    {
        var (export, refusal) = await LoadAsync(id, context, exporter, cancellationToken);
        if (export is null)
        {
            return refusal!;
        }

        await using var writer = new StringWriter();
        await CollectionExporter.WriteCsvAsync(export, writer, cancellationToken);
        return Results.File(Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", $"{export.Slug}.csv");
    }

    private static async Task<IResult> ManifestAsync(int id, HttpContext context, CollectionExporter exporter, CancellationToken cancellationToken)
    {
        var (export, refusal) = await LoadAsync(id, context, exporter, cancellationToken);
        if (export is null)
        {
            return refusal!;
        }

        var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

        // The IIIF specification's media type, with the v3 profile, so viewers know what they get.
        return Results.Text(IiifManifestWriter.Write(export, baseUrl).ToJsonString(), "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"", Encoding.UTF8);
    }

    private static async Task<(CollectionExport? Export, IResult? Refusal)> LoadAsync(int id, HttpContext context, CollectionExporter exporter, CancellationToken cancellationToken)
    {
        try
        {
            var export = await exporter.LoadAsync(context.User, id, cancellationToken);
            return export is null ? (null, Results.NotFound()) : (export, null);
        }
        catch (GalleryAccessDeniedException)
        {
            return (null, Results.StatusCode(context.User.Identity?.IsAuthenticated == true ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized));
        }
    }
}
