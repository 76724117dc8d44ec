using ArtGallery.Core.Studio.Gan;
using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Studio.Gan;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>`eval gan`: the FID-like quality figure (`bench gan` is <see cref="StudioBench"/>).</summary>
internal static class GanEval
{
    public static Command Create(HostStarter cli)
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "The image folder the GAN was trained on (default: the demo collection, painted in memory as `demo-images --size 128` writes it)." };
        var command = new Command("gan", "Fréchet distance on the encoder's pooled content features: generated vs training images, next to uniform noise and the held-out split.") { data };
        command.SetAction(async (parse, ct) =>
        {
            List<NamedImage> images;
            try
            {
                images = parse.GetValue(data) is { } folder ? LoadFolder(folder.FullName) : PaintDemo();
            }
            catch (Exception ex) when (ex is IOException or UnknownImageFormatException or InvalidImageContentException)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            using var host = await cli.StartAsync(ct);
            var generator = host.Services.GetRequiredService<GanGenerator>();
            return StudioErrors.Report(() =>
            {
                var side = generator.IsAvailable ? generator.ImageSize : 64;
                var squares = images.Select(i => GanImages.SquareCrop(i.Image, side)).ToList();
                images.ForEach(i => i.Image.Dispose());
                var (train, held) = GanTrainingImages.Split(squares);
                var report = host.Services.GetRequiredService<GanEvaluation>().Evaluate(train, held);
                squares.ForEach(i => i.Dispose());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"train={report.TrainImages} samples={report.Samples} features=512 provider={generator.Provider} seconds={report.Elapsed.TotalSeconds:F1} ratio_to_noise={report.Fd / report.NoiseFd:F3}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fd={report.Fd:F1} noise_fd={report.NoiseFd:F1} heldout_fd={report.HeldOutFd:F1}"));
                return 0;
            });
        });
        return command;
    }

    private static List<NamedImage> PaintDemo()
    {
        var plan = DemoCatalogue.Plan(600, 42);
        var images = new NamedImage[plan.Count];
        Parallel.For(0, plan.Count, i => images[i] = new NamedImage(GanTrainingImages.DemoName(plan[i]), GanTrainingImages.PaintDemo(plan[i], GanTrainingImages.DemoSide)));
        return [.. images.OrderBy(i => i.Name, StringComparer.Ordinal)];
    }

    private static List<NamedImage> LoadFolder(string folder)
    {
        var names = GanTrainingImages.List(folder);
        if (names.Count < 12)
        {
            throw new IOException($"{folder} holds {names.Count} images; the evaluation needs at least 12 (two held out).");
        }

        return [.. names.Select(n => new NamedImage(n, Image.Load<Rgb24>(Path.Combine(folder, n))))];
    }
}
