using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace ArtGallery.Core.Accounts;

public sealed record AccountSummary(string Id, string Name, IReadOnlyList<string> Roles, DateTimeOffset? LockedOutUntil);

/// <summary>Admin work on accounts: list them, grant and revoke the Curator and Admin roles.</summary>
public sealed class AccountAdminService(IServiceScopeFactory scopes, TimeProvider time, CallerVerifier callers)
{
    public static IReadOnlyList<string> Roles { get; } = [GalleryRoles.Curator, GalleryRoles.Admin];

    public async Task<IReadOnlyList<AccountSummary>> ListAccountsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await callers.DemandAsync(caller, AccessLevel.Administer, "List accounts", cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GalleryUser>>();
        var accounts = await users.Users.OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var result = new List<AccountSummary>(accounts.Count);
        var now = time.GetUtcNow();
        foreach (var account in accounts)
        {
            var roles = await users.GetRolesAsync(account);
            result.Add(new AccountSummary(account.Id, account.UserName ?? account.Id, [.. roles.Order(StringComparer.Ordinal)],
                account.LockoutEnd > now ? account.LockoutEnd : null));
        }

        return result;
    }

    public async Task GrantRoleAsync(ClaimsPrincipal caller, string userId, string role, CancellationToken cancellationToken = default)
    {
        await callers.DemandAsync(caller, AccessLevel.Administer, "Grant a role", cancellationToken);
        await ChangeRoleAsync(userId, role, grant: true, cancellationToken);
    }

    public async Task RevokeRoleAsync(ClaimsPrincipal caller, string userId, string role, CancellationToken cancellationToken = default)
    {
        await callers.DemandAsync(caller, AccessLevel.Administer, "Revoke a role", cancellationToken);
        await ChangeRoleAsync(userId, role, grant: false, cancellationToken);
    }

    private async Task ChangeRoleAsync(string userId, string role, bool grant, CancellationToken cancellationToken)
    {
        if (!Roles.Contains(role, StringComparer.Ordinal))
        {
            throw new CurationException($"There is no role '{role}'; the roles are {string.Join(" and ", Roles)}.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GalleryUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new CurationException("That account no longer exists.");
        cancellationToken.ThrowIfCancellationRequested();
        if (grant == await users.IsInRoleAsync(user, role))
        {
            return;
        }

        // Without an admin nobody could grant roles again short of editing the database.
        if (!grant && role == GalleryRoles.Admin && (await users.GetUsersInRoleAsync(GalleryRoles.Admin)).Count <= 1)
        {
            throw new CurationException("This is the last admin: grant Admin to another account first.");
        }

        var result = grant ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
        if (!result.Succeeded)
        {
            throw new CurationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        // The stamp stays: the account stays signed in, and every privileged call and open circuit reads
        // its roles afresh (CallerVerifier, within seconds), as does the cookie's revalidation.
        callers.Forget(user.Id);
    }
}
