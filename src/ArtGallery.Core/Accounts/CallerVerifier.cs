using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace ArtGallery.Core.Accounts;

/// <summary>
/// What a signed-in caller is allowed *now*. A principal is a snapshot taken at sign-in (or when the
/// cookie was last renewed), and a Blazor circuit keeps its snapshot for as long as the tab stays
/// open: a revoked curator would keep curating. Every privileged service call passes its caller
/// through <see cref="CurrentAsync"/>, which reads the account's security stamp and roles from the
/// database (cached for <see cref="MaxAge"/> at most) and answers with a principal carrying the
/// current roles, or <see cref="GalleryAccess.Anonymous"/> when the account is gone or its stamp has
/// changed (signed out everywhere).
/// </summary>
public sealed class CallerVerifier(IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider time, IOptions<IdentityOptions> identity)
{
    /// <summary>How stale a caller's roles may be: a revocation takes effect within this.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Snapshot> _accounts = new(StringComparer.Ordinal);

    /// <summary>
    /// The caller as the database sees it now. The same instance when nothing changed; a principal
    /// with the current roles when they changed; anonymous when the account is gone or signed out.
    /// </summary>
    public async Task<ClaimsPrincipal> CurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var caller = principal;

        // Identity's cookie principals always carry the account id (its claims factory adds it). The
        // operator behind the CLI and principals built in-process by tests carry none: nothing to check.
        if (caller.Identity is not ClaimsIdentity { IsAuthenticated: true } identityOfCaller
            || identityOfCaller.AuthenticationType == GalleryAccess.OperatorAuthenticationType
            || GalleryAccess.UserId(caller) is not { } userId)
        {
            return caller;
        }

        var account = await LoadAsync(userId, cancellationToken);
        var stampClaim = caller.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (account is null || (stampClaim is not null && !string.Equals(stampClaim, account.Stamp, StringComparison.Ordinal)))
        {
            return GalleryAccess.Anonymous;
        }

        var roleType = identityOfCaller.RoleClaimType;
        var held = caller.FindAll(roleType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (held.SetEquals(account.Roles))
        {
            return caller;
        }

        var refreshed = new ClaimsIdentity(identityOfCaller.Claims.Where(c => c.Type != roleType), identityOfCaller.AuthenticationType,
            identityOfCaller.NameClaimType, roleType);
        refreshed.AddClaims(account.Roles.Select(r => new Claim(roleType, r)));
        return new ClaimsPrincipal(refreshed);
    }

    /// <summary><see cref="CurrentAsync"/>, then <see cref="GalleryAccess.Demand"/> on the result, which it returns.</summary>
    public async Task<ClaimsPrincipal> DemandAsync(ClaimsPrincipal principal, AccessLevel level, string operation, CancellationToken cancellationToken = default)
    {
        var current = await CurrentAsync(principal, cancellationToken);
        GalleryAccess.Demand(current, level, operation);
        return current;
    }

    /// <summary>Forgets what is cached for an account whose roles or stamp this process just changed.</summary>
    public void Forget(string userId) => _accounts.TryRemove(userId, out _);

    private async Task<Snapshot?> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_accounts.TryGetValue(userId, out var cached) && now - cached.ReadAt < MaxAge)
        {
            return cached;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var stamp = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.SecurityStamp }).FirstOrDefaultAsync(cancellationToken);
        if (stamp is null)
        {
            _accounts.TryRemove(userId, out _);
            return null;
        }

        var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);
        var snapshot = new Snapshot(stamp.SecurityStamp, roles.ToHashSet(StringComparer.Ordinal), now);
        _accounts[userId] = snapshot;
        return snapshot;
    }

    private sealed record Snapshot(string? Stamp, IReadOnlySet<string> Roles, DateTimeOffset ReadAt);
}
