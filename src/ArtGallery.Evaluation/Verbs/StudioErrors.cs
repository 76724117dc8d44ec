using ArtGallery.Core.Studio;

namespace ArtGallery.Evaluation.Verbs;

internal static class StudioErrors
{
    /// <summary>Runs a studio verb's work; a request the studio refuses (a model missing, settings out of range) prints in red and exits 1.</summary>
    public static int Report(Func<int> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return work();
        }
        catch (StudioRequestException ex)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
            return 1;
        }
    }
}
