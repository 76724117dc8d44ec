using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.Testing;

/// <summary>
/// Real accounts in a test database, and the principals a sign-in would give them (built by
/// Identity's own claims factory, so roles and ids are exactly what the web app sees).
/// </summary>
public static class TestAccounts
{
    /// <summary>Meets the app's password rules; tests only.</summary>
    public const string Password = "Test-password-1";

    public static async Task<ClaimsPrincipal> CreateAsync(IServiceProvider services, string email, params string[] roles)
    {
        await services.GetRequiredService<InitialAdmin>().EnsureAsync();
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GalleryUser>>();
        var user = new GalleryUser { UserName = email, Email = email, EmailConfirmed = true };
        Check(await users.CreateAsync(user, Password));
        foreach (var role in roles)
        {
            Check(await users.AddToRoleAsync(user, role));
        }

        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<GalleryUser>>();
        return await factory.CreateAsync(user);
    }

    /// <summary>Anonymous, a registered visitor, a curator and an admin, in that order.</summary>
    public static async Task<IReadOnlyList<(string Name, ClaimsPrincipal Principal)>> EveryKindAsync(IServiceProvider services, string prefix) =>
    [
        ("anonymous", GalleryAccess.Anonymous),
        ("visitor", await CreateAsync(services, $"{prefix}-visitor@example.test")),
        ("curator", await CreateAsync(services, $"{prefix}-curator@example.test", GalleryRoles.Curator)),
        ("admin", await CreateAsync(services, $"{prefix}-admin@example.test", GalleryRoles.Admin)),
    ];

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
