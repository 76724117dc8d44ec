using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Components.Authorization;

namespace ArtGallery.Web.Features.Studio;

/// <summary>
/// Who owns a studio job or creation: "user:ID" when signed in, else "visitor:ID" from the
/// first-party <c>ag_visitor</c> cookie. The one place that reads or creates that cookie, so it can
/// be swapped for a shared visitor middleware.
/// </summary>
public sealed class StudioOwner(IHttpContextAccessor http, AuthenticationStateProvider authentication)
{
    public const string CookieName = "ag_visitor";

    public async Task<string?> GetAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return FromRequest(user, http.HttpContext);
    }

    /// <summary>The owner for a request (endpoints) or a circuit (whose HttpContext is the hub's).</summary>
    public static string? FromRequest(ClaimsPrincipal? user, HttpContext? context)
    {
        if (user?.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id)
        {
            return $"user:{id}";
        }

        var visitor = context?.Items[CookieName] as string ?? context?.Request.Cookies[CookieName];
        return IsValidVisitorId(visitor) ? $"visitor:{visitor}" : null;
    }

    public static bool IsValidVisitorId(string? value) =>
        value is { Length: 32 } && value.All(Uri.IsHexDigit);

    /// <summary>Gives every visitor without one a random <c>ag_visitor</c> cookie (a year, HttpOnly, first-party).</summary>
    public static IApplicationBuilder UseStudioVisitorCookie(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!IsValidVisitorId(context.Request.Cookies[CookieName]))
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[CookieName] = id;
            context.Response.Cookies.Append(CookieName, id, new CookieOptions
            {
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
            });
        }

        await next();
    });
}
