using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Claims;
using ArtGallery.Core.Accounts;

namespace ArtGallery.Core.Recommendations;

/// <summary>
/// Who the engagement events belong to: "u:" + account id for a signed-in visitor, "v:" + the id in the
/// first-party <see cref="CookieName"/> cookie for an anonymous one.
/// </summary>
public static class VisitorKeys
{
    public const string CookieName = "ag_visitor";

    private const int CookieIdBytes = 16;

    public static string ForAccount(string userId) => "u:" + userId;

    public static string ForCookie(string cookieId) => "v:" + cookieId;

    /// <summary>A fresh random id for the cookie (128 bits, base64url).</summary>
    public static string NewCookieId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(CookieIdBytes));

    /// <summary>Whether a cookie value is one we could have issued (anything else is ignored and replaced).</summary>
    public static bool IsValidCookieId(string? value)
    {
        if (value is null || value.Length != 22)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        Span<byte> bytes = stackalloc byte[CookieIdBytes];
        return Base64Url.TryDecodeFromChars(value, bytes, out var written) && written == CookieIdBytes;
    }

    /// <summary>The account when signed in, else the cookie's visitor; null when neither is known.</summary>
    public static string? Resolve(ClaimsPrincipal? user, string? cookieId) =>
        user is not null && GalleryAccess.UserId(user) is { } id ? ForAccount(id)
        : IsValidCookieId(cookieId) ? ForCookie(cookieId!)
        : null;
}
