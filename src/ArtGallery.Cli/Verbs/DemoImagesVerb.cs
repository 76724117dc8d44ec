using ArtGallery.Core.Studio;
using ArtGallery.Engines.Demo;
using ArtGallery.Evaluation.Studio;
using SixLabors.ImageSharp;

namespace ArtGallery.Cli.Verbs;

/// <summary>
/// Paints the demo collection into a plain image folder (no database): the default training data
/// of the studio's GAN recipe (models/training/gan), which trains on any image folder.
/// </summary>
internal static class DemoImagesVerb
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write the PNG files into (created if missing).", Required = true };
        var count = new DemoCountOption();
        var seed = new Option<int>("--seed") { Description = "Seed of the demo generator (42 is the shipped demo collection).", DefaultValueFactory = _ => 42 };
        var size = new Option<int>("--size") { Description = "Centre-crop to a square of this side (0 keeps each painting's own size).", DefaultValueFactory = _ => 0 };
        var command = new Command("demo-images", "Paint the demo collection into an image folder, e.g. as training data for the studio's GAN.") { output, count, seed, size };
        command.SetAction(async (parse, ct) =>
        {
            if (!count.TryGet(parse, out var n))
            {
                return 2;
            }

            var side = parse.GetValue(size);
            if (side is < 0 or > 4096 || side is > 0 and < 8)
            {
                AnsiConsole.MarkupLine("[red]--size must be 0 (original size) or between 8 and 4096[/]");
                return 2;
            }

            var folder = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(folder);
            var plan = DemoCatalogue.Plan(n, parse.GetValue(seed));
            await Parallel.ForEachAsync(plan, ct, async (work, token) =>
            {
                using var image = GanTrainingImages.PaintDemo(work, side);
                await image.SaveAsPngAsync(Path.Combine(folder, GanTrainingImages.DemoName(work)), token);
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo-images: wrote={plan.Count} out={folder} size={(side == 0 ? "original" : side.ToString(CultureInfo.InvariantCulture))}"));
            return 0;
        });
        return command;
    }
}
