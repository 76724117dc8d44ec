using ArtGallery.Core.Accounts;
using ArtGallery.Core.Recommendations;
using ArtGallery.Web.Features.Recommendations;
using ArtGallery.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace ArtGallery.Web.Features.Accounts;

/// <summary>Cookie sign-in on top of the Core accounts, and the form endpoints the account pages post to.</summary>
public static class AccountsWebExtensions
{
    public const string SignInPath = "/account/signin";

    /// <summary>How long a cookie's roles and stamp are trusted before the account is read again.</summary>
    public static readonly TimeSpan CookieRevalidation = TimeSpan.FromSeconds(5);

    /// <summary>Identity cookies, the sign-in manager, authorisation and the cascading authentication state.</summary>
    public static IServiceCollection AddWebAccounts(this IServiceCollection services)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = SignInPath;
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "ArtGallery.Auth";
        });

        // Every few seconds the cookie's account is re-read: a new stamp (signed out) ends it, and an
        // unchanged one re-issues it with the account's current roles.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = CookieRevalidation);
        new IdentityBuilder(typeof(GalleryUser), typeof(IdentityRole), services).AddSignInManager();
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();

        // Open circuits re-read theirs too (after AddInteractiveServerComponents, which registers the plain provider).
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account");
        account.MapPost("/signin", SignInAsync);
        account.MapPost("/register", RegisterAsync);
        account.MapPost("/signout", SignOutAsync);
        return endpoints;
    }

    /// <summary>
    /// Signing out ends every sign-in of the account: a new security stamp makes any copy of the cookie
    /// (another browser, a replayed one) fail its next revalidation, and open circuits go anonymous.
    /// </summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, SignInManager<GalleryUser> signIn, CallerVerifier callers, IAntiforgery antiforgery)
    {
        // The endpoint binds no form, so nothing else checks the token: without it, any page could sign visitors out.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.BadRequest("Sign out from the gallery's own page.");
        }

        if (await signIn.UserManager.GetUserAsync(context.User) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
            callers.Forget(user.Id);
        }

        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/");
    }

    /// <summary>Creates the first admin from configuration, or logs how to.</summary>
    public static async Task EnsureInitialAdminAsync(this IServiceProvider services) =>
        await services.GetRequiredService<InitialAdmin>().EnsureAsync();

    private static async Task<IResult> SignInAsync(HttpContext context, SignInManager<GalleryUser> signIn, EngagementService engagements, [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        var back = SafeReturnUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return Back(SignInPath, "Enter your email and password.", back);
        }

        var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            if (await signIn.UserManager.FindByEmailAsync(email.Trim()) is { } user)
            {
                await MergeVisitorHistoryAsync(context, engagements, user);
            }

            return TypedResults.LocalRedirect(back);
        }

        return Back(SignInPath, result.IsLockedOut
            ? "Too many failed sign-ins: this account is locked for a while. Try again later."
            : "That email and password do not match an account.", back);
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, UserManager<GalleryUser> users, SignInManager<GalleryUser> signIn, EngagementService engagements,
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? confirm, [FromForm] string? returnUrl)
    {
        var back = SafeReturnUrl(returnUrl);
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !email.Contains('@', StringComparison.Ordinal) || email.Length > 256)
        {
            return Back("/account/register", "Enter a valid email address.", back);
        }

        if (password != confirm)
        {
            return Back("/account/register", "The two passwords differ.", back, email);
        }

        var user = new GalleryUser { UserName = email, Email = email };
        var created = await users.CreateAsync(user, password ?? string.Empty);
        if (!created.Succeeded)
        {
            return Back("/account/register", string.Join(" ", created.Errors.Select(e => e.Description)), back, email);
        }

        await signIn.SignInAsync(user, isPersistent: false);
        await MergeVisitorHistoryAsync(context, engagements, user);
        return TypedResults.LocalRedirect(back);
    }

    /// <summary>What the visitor liked and viewed before signing in becomes the account's (the cookie then starts afresh).</summary>
    private static async Task MergeVisitorHistoryAsync(HttpContext context, EngagementService engagements, GalleryUser user)
    {
        if (context.VisitorCookieId() is { } cookie && VisitorKeys.IsValidCookieId(cookie))
        {
            await engagements.MergeAsync(VisitorKeys.ForCookie(cookie), VisitorKeys.ForAccount(user.Id), context.RequestAborted);
        }
    }

    // The email is not echoed back into the form: the page is interactive, and a value Blazor renders
    // would overwrite whatever was typed before the circuit started.
    /// <summary>Back to the form with the error; a failed registration keeps the email typed (the visitor's own, in their own address bar).</summary>
    private static RedirectHttpResult Back(string page, string error, string returnUrl, string? email = null) =>
        TypedResults.Redirect($"{page}?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(returnUrl)}"
            + (string.IsNullOrEmpty(email) ? string.Empty : $"&email={Uri.EscapeDataString(email)}"));

    /// <summary>Only paths on this site: an open redirect would let a link send people elsewhere after signing in.</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
