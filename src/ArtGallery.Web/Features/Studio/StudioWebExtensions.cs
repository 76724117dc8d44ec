using ArtGallery.Core.Studio;

namespace ArtGallery.Web.Features.Studio;

public static class StudioWebExtensions
{
    public static IServiceCollection AddStudioWeb(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<StudioOwner>();
        return services;
    }

    /// <summary>The download of a creation's PNG (its owner only).</summary>
    public static WebApplication MapStudio(this WebApplication app)
    {
        app.MapGet("/studio/creations/{id:long}.png", async (long id, HttpContext context, CreationService creations, CancellationToken ct) =>
        {
            var owner = StudioOwner.FromRequest(context.User, context);
            var png = owner is null ? null : await creations.ReadPngAsync(owner, id, ct);
            return png is null ? Results.NotFound() : Results.File(png, "image/png", $"creation-{id}.png");
        });
        return app;
    }
}
