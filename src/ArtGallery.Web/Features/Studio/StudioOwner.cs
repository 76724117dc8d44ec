using System.Security.Claims;
using ArtGallery.Core.Recommendations;
using ArtGallery.Web.Features.Recommendations;

namespace ArtGallery.Web.Features.Studio;

/// <summary>
/// Who owns a studio job or creation: the visitor key the feed uses too ("u:" + account id when signed in,
/// else "v:" + the first-party visitor cookie that <see cref="Recommendations.VisitorWebExtensions.UseVisitorCookie"/> issues).
/// </summary>
public sealed class StudioOwner(IHttpContextAccessor http, AuthenticationStateProvider authentication)
{
    public async Task<string?> GetAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return FromRequest(user, http.HttpContext);
    }

    /// <summary>The owner for a request (endpoints) or a circuit (whose HttpContext is the hub's).</summary>
    public static string? FromRequest(ClaimsPrincipal? user, HttpContext? context) =>
        VisitorKeys.Resolve(user, context?.VisitorCookieId());
}
