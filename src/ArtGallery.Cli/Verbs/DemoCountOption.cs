namespace ArtGallery.Cli.Verbs;

/// <summary>
/// <c>--count</c> of <c>seed-demo</c> and <c>demo-images</c>: how many works of the demo collection
/// to paint, with the range both verbs accept.
/// </summary>
internal sealed class DemoCountOption : Option<int>
{
    public DemoCountOption()
        : base("--count")
    {
        Description = "How many works to paint.";
        DefaultValueFactory = _ => 600;
    }

    /// <summary>The parsed count; false, after printing why, when it lies outside 1 to 100,000.</summary>
    public bool TryGet(ParseResult parse, out int count)
    {
        ArgumentNullException.ThrowIfNull(parse);
        count = parse.GetValue(this);
        if (count is >= 1 and <= 100_000)
        {
            return true;
        }

        AnsiConsole.MarkupLine("[red]--count must be between 1 and 100000[/]");
        return false;
    }
}
