using Microsoft.AspNetCore.Identity;

namespace ArtGallery.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Accounts (ASP.NET Core Identity on the gallery database), lockout after repeated failed sign-ins,
    /// the first admin from configuration, and the admin's role management. The web host adds cookies
    /// and the sign-in manager on top.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureSection<AccountsOptions>(configuration, AccountsOptions.Section);
        services.AddIdentityCore<GalleryUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                // Identity's lockout counts per account, so anyone could lock the owner out with a few
                // guesses: guessing is slowed per address and client instead (SignInThrottle).
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<GalleryDbContext>();
        return services.AddSingletons(typeof(InitialAdmin), typeof(AccountAdminService), typeof(SignInThrottle)).AddScoped<PasswordCheck>();
    }
}
