using System.Security.Claims;

namespace ArtGallery.Core.Accounts;

/// <summary>The two roles above a registered visitor. Role names are stored by ASP.NET Core Identity.</summary>
public static class GalleryRoles
{
    public const string Curator = "Curator";
    public const string Admin = "Admin";
}

/// <summary>What a privileged operation needs from its caller; each level includes the ones before it.</summary>
public enum AccessLevel
{
    /// <summary>Anyone, signed in or not: browse, search, recommendations.</summary>
    Browse = 0,

    /// <summary>A signed-in visitor: likes and personal saved collections.</summary>
    Engage = 1,

    /// <summary>The Curator role (or Admin): import, edit collections, tag, review suggestions, export.</summary>
    Curate = 2,

    /// <summary>The Admin role: grant and revoke roles, site settings.</summary>
    Administer = 3,
}

/// <summary>The caller lacks the level an operation demands. Nothing has been changed when it is thrown.</summary>
public sealed class GalleryAccessDeniedException(AccessLevel required, string operation)
    : Exception($"{operation} needs the {required} level.")
{
    public AccessLevel Required { get; } = required;

    public string Operation { get; } = operation;
}

/// <summary>
/// The one rule for who may do what. Services call <see cref="Demand"/> where the work is done, with the
/// caller passed in explicitly: Blazor Server only checks <c>[Authorize]</c> on routed pages, so a check in
/// the UI alone protects nothing.
/// </summary>
public static class GalleryAccess
{
    /// <summary>The authentication type of principals the CLI acts as: an operator with the database's credentials.</summary>
    public const string OperatorAuthenticationType = "ArtGallery.Operator";

    /// <summary>A caller nobody signed in as.</summary>
    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());

    /// <summary>The operator behind the CLI (whoever can reach the database can do anything anyway).</summary>
    public static ClaimsPrincipal Operator { get; } = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.Role, GalleryRoles.Admin)],
        OperatorAuthenticationType));

    public static bool Allows(ClaimsPrincipal caller, AccessLevel level)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var signedIn = caller.Identity?.IsAuthenticated == true;
        return level switch
        {
            AccessLevel.Browse => true,
            AccessLevel.Engage => signedIn,
            AccessLevel.Curate => signedIn && (caller.IsInRole(GalleryRoles.Curator) || caller.IsInRole(GalleryRoles.Admin)),
            AccessLevel.Administer => signedIn && caller.IsInRole(GalleryRoles.Admin),
            _ => false,
        };
    }

    /// <summary>Throws <see cref="GalleryAccessDeniedException"/> unless <paramref name="caller"/> has <paramref name="level"/>.</summary>
    public static void Demand(ClaimsPrincipal caller, AccessLevel level, string operation)
    {
        if (!Allows(caller, level))
        {
            throw new GalleryAccessDeniedException(level, operation);
        }
    }

    /// <summary>The signed-in user's id (Identity's NameIdentifier claim), or null for anonymous callers.</summary>
    public static string? UserId(ClaimsPrincipal caller) =>
        caller?.Identity?.IsAuthenticated == true ? caller.FindFirstValue(ClaimTypes.NameIdentifier) : null;
}
