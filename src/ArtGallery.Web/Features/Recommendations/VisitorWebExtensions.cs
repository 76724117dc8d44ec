using System.Security.Claims;
using ArtGallery.Core.Recommendations;

namespace ArtGallery.Web.Features.Recommendations;

/// <summary>The anonymous visitor's first-party id, as the circuit sees it (passed down from the page request).</summary>
public sealed record VisitorIdentity(string? CookieId)
{
    /// <summary>The key engagement events are recorded under: the account when signed in, else the cookie.</summary>
    public string? KeyFor(ClaimsPrincipal? user) => VisitorKeys.Resolve(user, CookieId);
}

public static class VisitorWebExtensions
{
    private const string ItemKey = "ArtGallery.VisitorId";

    /// <summary>
    /// Gives every browser a first-party visitor cookie (random id, HttpOnly, a year) so anonymous likes and
    /// views count, and makes its value readable in the same request that issued it.
    /// </summary>
    public static IApplicationBuilder UseVisitorCookie(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var id = context.Request.Cookies[VisitorKeys.CookieName];
        if (!VisitorKeys.IsValidCookieId(id) && !context.Request.Path.StartsWithSegments("/images") && !context.Request.Path.StartsWithSegments("/_framework"))
        {
            id = VisitorKeys.NewCookieId();
            context.Response.Cookies.Append(VisitorKeys.CookieName, id, new CookieOptions
            {
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
            });
        }

        context.Items[ItemKey] = VisitorKeys.IsValidCookieId(id) ? id : null;
        await next(context);
    });

    /// <summary>The visitor cookie's id for this request (set by <see cref="UseVisitorCookie"/>).</summary>
    public static string? VisitorCookieId(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var id) ? id as string : context.Request.Cookies[VisitorKeys.CookieName];
    }
}
