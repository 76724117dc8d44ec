using ArtGallery.Engines.Runtime;

namespace ArtGallery.Evaluation.Verbs;

internal static class EngineCheck
{
    /// <summary>The engine from the host's services, or null after one red line saying why its model did not load.</summary>
    /// <param name="services">The started host's services.</param>
    /// <param name="name">The engine in that line, e.g. "melody model".</param>
    public static TEngine? Ready<TEngine>(IServiceProvider services, string name)
        where TEngine : class, IEngine
    {
        var engine = services.GetRequiredService<TEngine>();
        var status = engine.Status;
        if (status.Available)
        {
            return engine;
        }

        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]the {name} is unavailable: {status.Problem}[/]");
        return null;
    }
}
