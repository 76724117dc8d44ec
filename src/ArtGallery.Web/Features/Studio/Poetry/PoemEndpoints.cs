using ArtGallery.Core.Studio.Poetry;
using ArtGallery.Web.Features.Studio;

namespace ArtGallery.Web.Features.Studio.Poetry;

/// <summary>GET /studio/poems/{id}.txt: a kept poem as text (its owner only).</summary>
public static class PoemEndpoints
{
    public static IEndpointRouteBuilder MapPoemEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/studio/poems/{id:long}.txt", async (long id, HttpContext context, PoemStudioService poems, CancellationToken ct) =>
        {
            var owner = StudioOwner.FromRequest(context.User, context);
            var poem = owner is null ? null : await poems.GetAsync(owner, id, ct);
            return poem is null
                ? Results.NotFound()
                : Results.File(System.Text.Encoding.UTF8.GetBytes($"{poem.Title}\n\n{poem.Text}\n"), "text/plain; charset=utf-8", $"poem-{id}.txt");
        });
        return endpoints;
    }
}
