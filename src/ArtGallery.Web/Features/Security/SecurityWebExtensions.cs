using System.Reflection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace ArtGallery.Web.Features.Security;

/// <summary>
/// What every response carries and how bad requests and failures are answered: security headers,
/// a 400 for query parameters a page cannot read (one log line, no exception), the app's own error
/// page, and its not-found page with a 404.
/// </summary>
public static partial class SecurityWebExtensions
{
    public const string NotFoundPath = "/not-found";

    /// <summary>
    /// Blazor Server and MudBlazor need inline styles (style attributes) and the circuit's WebSocket to
    /// the same origin; nothing needs inline script, eval or another origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Security headers on every response (pages, images, /health, exports, errors).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Task.CompletedTask;
            });
            return next(context);
        });

    /// <summary>
    /// Refuses, with a 400 and one log line, a page request whose query has a control character or a
    /// value that the page's own <c>[SupplyParameterFromQuery]</c> property cannot hold (the page
    /// would throw while rendering: a 500 and a screenful of log).
    /// </summary>
    public static IApplicationBuilder UseQueryGuard(this IApplicationBuilder app)
    {
        var types = QueryParameterTypes();
        return app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.QueryString.HasValue && Problem(context.Request.Query, types) is { } problem)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ArtGallery.Web.BadRequest");
                LogBadQuery(logger, context.Request.Path, problem);
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(Page("That address cannot be read",
                    $"{System.Net.WebUtility.HtmlEncode(problem)}. Check the link, or <a href=\"/browse\">browse the collection</a>."));
                return;
            }

            await next(context);
        });
    }

    /// <summary>The error page <c>UseExceptionHandler</c> re-executes, and the not-found re-execution for page addresses.</summary>
    public static IEndpointRouteBuilder MapErrorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/error", (HttpContext context) =>
        {
            // A database that does not answer is a 503 with its own words; anything else our fault.
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var outage = DatabaseOutage.Is(error);
            return Results.Content(outage
                    ? Page("The gallery is briefly unavailable", $"{DatabaseOutage.Message} Try again in a minute: <a href=\"\">reload</a>.")
                    : Page("Something went wrong", "The gallery could not show this page. Try again, or <a href=\"/\">go to the start page</a>."),
                "text/html; charset=utf-8", statusCode: outage ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError);
        }).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Unknown page addresses get the app's not-found page with their 404; images, /health and exports keep a bare one.</summary>
    public static IApplicationBuilder UseNotFoundPage(this IApplicationBuilder app)
    {
        // Directly on the app, not in a UseWhen branch: re-execution must route the request again.
        app.UseStatusCodePagesWithReExecute(NotFoundPath, createScopeForStatusCodePages: true);
        return app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if ((path.StartsWithSegments("/images") || path.StartsWithSegments("/health") || path.StartsWithSegments("/_framework")
                    || path.StartsWithSegments("/_content") || path.StartsWithSegments("/export") || path.StartsWithSegments("/_blazor"))
                && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
    }

    internal static string? Problem(IQueryCollection query, IReadOnlyDictionary<string, Type> types)
    {
        foreach (var (key, values) in query)
        {
            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                if (value.Any(c => char.IsControl(c)))
                {
                    return $"The parameter \"{key}\" contains a control character";
                }

                if (types.TryGetValue(key, out var type) && !Fits(value, type))
                {
                    return $"The parameter \"{key}\" should be {(type == typeof(double) ? "a number" : "a whole number")}, not \"{Shorten(value)}\"";
                }
            }
        }

        return null;
    }

    private static bool Fits(string value, Type type) =>
        value.Length == 0
        || (type == typeof(int) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        || (type == typeof(long) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        || (type == typeof(double) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && Math.Abs(d) <= 1e6)
        || (type != typeof(int) && type != typeof(long) && type != typeof(double));

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    /// <summary>Every <c>[SupplyParameterFromQuery]</c> of this app's pages, by name, with its type.</summary>
    private static Dictionary<string, Type> QueryParameterTypes()
    {
        var types = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in typeof(SecurityWebExtensions).Assembly.GetTypes()
                     .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)))
        {
            if (property.GetCustomAttribute<SupplyParameterFromQueryAttribute>() is { } attribute)
            {
                types[attribute.Name ?? property.Name] = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            }
        }

        return types;
    }

    private static string Page(string title, string body) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · ArtGallery</title><link href=\"/css/app.css\" rel=\"stylesheet\"></head>" +
        $"<body style=\"font-family: sans-serif; margin: 3rem\"><h1 data-testid=\"error-title\">{title}</h1><p>{body}</p></body></html>";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bad request for {Path}: {Problem}")]
    private static partial void LogBadQuery(ILogger logger, PathString path, string problem);
}
