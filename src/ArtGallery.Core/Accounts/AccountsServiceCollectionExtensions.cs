using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
        var section = configuration.GetSection(AccountsOptions.Section);
        services.Configure<AccountsOptions>(section);
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
        services.AddSingleton<InitialAdmin>();
        services.AddSingleton<AccountAdminService>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<PasswordCheck>();
        return services;
    }
}
