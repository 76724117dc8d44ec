using System.CommandLine;

namespace ArtGallery.Cli.Verbs;

internal static class MelodyComposeCommand
{
    public static Command Create() => new("compose", "Compose a melody (coming with the model).");
}
