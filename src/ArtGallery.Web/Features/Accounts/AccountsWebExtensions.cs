using ArtGallery.Core.Recommendations;
using ArtGallery.Web.Features.Recommendations;
using ArtGallery.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using System.Threading.RateLimiting;

namespace ArtGallery.Web.Features.Accounts;

/// <summary>Cookie sign-in on top of the Core accounts, and the form endpoints the account pages post to.</summary>
public static class AccountsWebExtensions
{
    public const string SignInPath = "/account/signin";

    /// <summary>The rate limiter policy on the account posts: so many per minute per client address.</summary>
    public const string AccountPostsPolicy = "account-posts";

    /// <summary>The one answer to a register post that passes the form's checks, whether or not the address was free.</summary>
    public const string RegisteredNotice = "If that address was free, its account is created: sign in with it. If it already had an account, sign in with that account's password.";

    public const string NoMatchError = "That email and password do not match an account.";

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

        // ASP.NET Core's rate limiter on the account posts, one window per client address: 100 guesses
        // from one client used to pass in 0.6 s. Guesses at one address are slowed further by SignInThrottle.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AccountsOptions>>((o, accounts) =>
        {
            var perMinute = Math.Max(1, accounts.Value.SignInsPerClientPerMinute);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AccountPostsPolicy, context => RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                rejected.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await rejected.HttpContext.Response.WriteAsync("Too many sign-in or register attempts from your address: wait a minute, then go back and try again.", cancellationToken);
            };
        });

        // Open circuits re-read theirs too (after AddInteractiveServerComponents, which registers the plain provider).
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account");
        account.MapPost("/signin", SignInAsync).RequireRateLimiting(AccountPostsPolicy);
        account.MapPost("/register", RegisterAsync).RequireRateLimiting(AccountPostsPolicy);
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

    /// <summary>
    /// One message for every failure, whether or not the address has an account, and the same work
    /// (a password hash) behind it; a client that keeps failing at one address is asked to wait, with
    /// the same message for real and unknown addresses, while other clients (the owner) are not.
    /// </summary>
    private static async Task<IResult> SignInAsync(HttpContext context, SignInManager<GalleryUser> signIn, PasswordCheck passwords, SignInThrottle throttle, EngagementService engagements,
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        var back = SafeReturnUrl(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return Back(SignInPath, "Enter your email and password.", back);
        }

        var address = email.Trim();
        var client = ClientKey(context);
        var wait = throttle.RetryAfter(address, client);
        if (wait > TimeSpan.Zero)
        {
            return Back(SignInPath, string.Create(CultureInfo.InvariantCulture,
                $"Too many failed sign-ins at this address from here: try again in {Math.Ceiling(wait.TotalSeconds):0} s."), back);
        }

        if (await passwords.CheckAsync(address, password) is not { } user)
        {
            throttle.Failed(address, client);
            return Back(SignInPath, NoMatchError, back);
        }

        throttle.Succeeded(address, client);
        await signIn.SignInAsync(user, isPersistent: false);
        await MergeVisitorHistoryAsync(context, engagements, user);
        return TypedResults.LocalRedirect(back);
    }

    /// <summary>
    /// A new account, never signed in from here: signing the new owner in at once would tell anyone
    /// trying an address whether it was free. A taken address and a free one get the same answer.
    /// </summary>
    private static async Task<IResult> RegisterAsync(PasswordCheck passwords,
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

        var problems = await passwords.RegisterAsync(email, password ?? string.Empty);
        if (problems.Count > 0)
        {
            return Back("/account/register", string.Join(" ", problems), back, email);
        }

        return TypedResults.Redirect($"{SignInPath}?notice={Uri.EscapeDataString(RegisteredNotice)}&returnUrl={Uri.EscapeDataString(back)}");
    }

    /// <summary>The client a rate limit counts against: its IP address (no proxy headers are trusted).</summary>
    public static string ClientKey(HttpContext context) =>
        context?.Connection.RemoteIpAddress?.ToString() ?? "unknown";

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
