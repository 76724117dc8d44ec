namespace ArtGallery.Web.Features.Security;

public sealed partial class PageErrorBoundary
{
    [Inject]
    private ILogger<PageErrorBoundary> Logger { get; set; } = null!;

    /// <summary>Set while the page is rendered for its HTTP request (prerendering); null in a circuit.</summary>
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    /// <summary>
    /// The error that failed the page: what its components throw while they go (a script call on a
    /// removed element, say) must not replace "the database is not answering" with "something went wrong".
    /// </summary>
    private Exception? _first;

    private void TryAgain()
    {
        _first = null;
        Recover();
    }

    protected override Task OnErrorAsync(Exception exception)
    {
        _first ??= exception;
        var outage = DatabaseOutage.Is(exception);

        // A prerendered page that failed answers as the /error page would: 503 for an outage, else 500.
        if (HttpContext is { Response.HasStarted: false } http)
        {
            http.Response.StatusCode = outage ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        }

        if (outage)
        {
            // One line, not a stack trace per page view for as long as the database is away.
            LogOutage(Logger, Navigation.Uri, exception.GetBaseException().Message);
            return Task.CompletedTask;
        }

        return base.OnErrorAsync(exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Page} could not reach the database: {Reason}")]
    private static partial void LogOutage(ILogger logger, string page, string reason);
}
