namespace ArtGallery.Evaluation.Verbs;

/// <summary>The <c>eval</c> and <c>bench</c> verbs (and <c>studio sheet</c>) the CLI host adds beside its operator verbs.</summary>
public static class EvaluationCommands
{
    /// <summary><c>eval</c>: offline evaluations; each ends with one line of key=value pairs.</summary>
    public static Command Eval(HostStarter cli) => EvalVerb.Create(cli);

    /// <summary><c>bench</c>: benchmarks measured side by side in one run; each ends with one line of key=value pairs.</summary>
    public static Command Bench(HostStarter cli) => BenchVerb.Create(cli);

    /// <summary><c>studio sheet</c>: our style transfer beside the published reference results.</summary>
    public static Command StudioSheet(HostStarter cli) => Verbs.StudioSheet.Create(cli);
}
