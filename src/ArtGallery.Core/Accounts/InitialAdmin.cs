using Microsoft.AspNetCore.Identity;

namespace ArtGallery.Core.Accounts;

public enum InitialAdminOutcome
{
    /// <summary>An account already has the Admin role; configuration is ignored.</summary>
    AdminExists,

    /// <summary>The configured account was created (or an existing one promoted) as the first admin.</summary>
    Created,

    /// <summary>No admin and none configured: nobody can grant roles until one is.</summary>
    NotConfigured,
}

/// <summary>
/// Makes sure the roles exist and, when no account is an admin yet, creates the first admin from
/// configuration (Accounts:InitialAdmin:Email/Password or ARTGALLERY_ADMIN_EMAIL/ARTGALLERY_ADMIN_PASSWORD).
/// </summary>
public sealed partial class InitialAdmin(IServiceScopeFactory scopes, IOptions<AccountsOptions> options, ILogger<InitialAdmin> logger)
{
    public async Task<InitialAdminOutcome> EnsureAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GalleryUser>>();
        foreach (var role in new[] { GalleryRoles.Curator, GalleryRoles.Admin })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the {role} role");
            }
        }

        if ((await users.GetUsersInRoleAsync(GalleryRoles.Admin)).Count > 0)
        {
            return InitialAdminOutcome.AdminExists;
        }

        var email = FirstSet(Environment.GetEnvironmentVariable(AccountsOptions.AdminEmailVariable), options.Value.InitialAdmin.Email);
        var password = FirstSet(Environment.GetEnvironmentVariable(AccountsOptions.AdminPasswordVariable), options.Value.InitialAdmin.Password);
        if (email is null || password is null)
        {
            LogNoAdmin(logger, AccountsOptions.AdminEmailVariable, AccountsOptions.AdminPasswordVariable);
            return InitialAdminOutcome.NotConfigured;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new GalleryUser { UserName = email, Email = email, EmailConfirmed = true };
            Check(await users.CreateAsync(user, password), $"create the initial admin {email}");
        }

        Check(await users.AddToRoleAsync(user, GalleryRoles.Admin), $"make {email} an admin");
        LogCreated(logger, email);
        return InitialAdminOutcome.Created;
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin account exists and none is configured: set Accounts:InitialAdmin:Email and Accounts:InitialAdmin:Password (or the environment variables {EmailVariable} and {PasswordVariable}) and restart to create the first admin")]
    private static partial void LogNoAdmin(ILogger logger, string emailVariable, string passwordVariable);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first admin account {Email} from configuration")]
    private static partial void LogCreated(ILogger logger, string email);
}
