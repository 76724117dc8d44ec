namespace ArtGallery.Cli.Verbs;

internal static class MigrateVerb
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply database migrations (the app also does this at start-up).");
        command.SetAction(async (_, ct) =>
        {
            using var host = await CliHost.StartAsync(ct);
            AnsiConsole.MarkupLine("[green]database is up to date[/]");
            return 0;
        });
        return command;
    }
}
