using ArtGallery.Core.Storage;
using ArtGallery.Core.Studio;
using ArtGallery.Web.Features.Studio;
using ArtGallery.Engines.Imaging;
using Microsoft.Net.Http.Headers;

namespace ArtGallery.Web.Features.Images;

public static class ImageEndpoints
{
    /// <summary>Derived images are immutable (their name is the image's hash): cache them for a year.</summary>
    private const string CacheControl = "public, max-age=31536000, immutable";

    /// <summary>The sizes that exist at a URL; <see cref="DerivedSize.Model"/> is the encoder's and never served.</summary>
    private static readonly Dictionary<string, DerivedSize> Published = new(StringComparer.OrdinalIgnoreCase)
    {
        ["thumb"] = DerivedSize.Thumb,
        ["display"] = DerivedSize.Display,
        ["large"] = DerivedSize.Large,
    };

    public static IEndpointRouteBuilder MapImageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/images/{size}/{file}", ServeAsync).WithName("image");
        return endpoints;
    }

    public static string Url(string sha256, DerivedSize size) => $"/images/{size.ToString().ToLowerInvariant()}/{sha256}.jpg";

    /// <summary>A creation's image is its owner's alone: neither shared caches nor other visitors keep it.</summary>
    private const string PrivateCacheControl = "private, max-age=86400";

    private static async Task<IResult> ServeAsync(string size, string file, HttpContext context, ImageStore store, CreationService creations, CancellationToken cancellationToken)
    {
        // Names only: Enum.TryParse also takes any number ("-1", "4", "2147483647"), and each one sent the
        // whole original through the decoder before failing.
        if (!Published.TryGetValue(size, out var derived)
            || !file.EndsWith(".jpg", StringComparison.Ordinal) || !ImageStore.IsSha256(file[..^4]))
        {
            return Results.NotFound();
        }

        var sha = file[..^4];

        // Anyone who knew a hash used to get any image in the store: studio uploads and visitors'
        // private creations included. Only works are public; a creation goes to its owner; nothing else.
        var audience = await creations.AudienceAsync(sha, StudioOwner.FromRequest(context.User, context), cancellationToken);
        if (audience == ImageAudience.Nobody)
        {
            return Results.NotFound();
        }

        var etag = new EntityTagHeaderValue($"\"{sha}-{derived.ToString().ToLowerInvariant()}\"");
        context.Response.Headers.CacheControl = audience == ImageAudience.Public ? CacheControl : PrivateCacheControl;
        if (context.Request.Headers.IfNoneMatch.Any(v => v == etag.Tag.Value))
        {
            context.Response.Headers.ETag = etag.Tag.Value;
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        string? path;
        try
        {
            path = await store.EnsureDerivedAsync(sha, derived, cancellationToken);
        }
        catch (ImageRejectedException)
        {
            return Results.NotFound();
        }

        return path is null
            ? Results.NotFound()
            : Results.File(path, "image/jpeg", entityTag: etag, enableRangeProcessing: false);
    }
}
