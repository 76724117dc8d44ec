using ArtGallery.Engines.Studio.StyleTransfer;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// Our transfer beside the published reference results (../shared/data/styletransfer): one PNG per
/// pair (photo, style, ours, reference) and one line of figures. Resumable: a pair whose PNG and
/// figures already exist in --out is read back, not rendered again.
/// </summary>
internal static class StudioSheet
{
    /// <summary>Reference file → (content photo, style image); the styles' file names differ from the outputs'.</summary>
    private static readonly (string Reference, string Content, string Style)[] Pairs =
    [
        ("amber-candy.jpg", "amber.jpg", "candy.jpg"),
        ("amber-mosaic.jpg", "amber.jpg", "mosaic.jpg"),
        ("amber-rain-princess.jpg", "amber.jpg", "rain-princess.jpg"),
        ("amber-udnie.jpg", "amber.jpg", "udnie.jpg"),
        ("golden_gate_escher.png", "golden_gate.jpg", "escher_sphere.jpg"),
        ("golden_gate_kahlo.png", "golden_gate.jpg", "frida_kahlo.jpg"),
        ("golden_gate_matisse.png", "golden_gate.jpg", "woman-with-hat-matisse.jpg"),
        ("golden_gate_scream.png", "golden_gate.jpg", "the_scream.jpg"),
        ("golden_gate_seated.png", "golden_gate.jpg", "seated-nude.jpg"),
        ("golden_gate_starry.png", "golden_gate.jpg", "starry_night.jpg"),
        ("tubingen_composition_vii.png", "tubingen.jpg", "composition_vii.jpg"),
        ("tubingen_scream.png", "tubingen.jpg", "the_scream.jpg"),
        ("tubingen_seated_nude.png", "tubingen.jpg", "seated-nude.jpg"),
        ("tubingen_shipwreck.png", "tubingen.jpg", "shipwreck.jpg"),
        ("tubingen_starry.png", "tubingen.jpg", "starry_night.jpg"),
    ];

    public static Command Create(HostStarter cli)
    {
        var output = new Option<string>("--out") { Description = "Folder for the sheets (under .data/; never commit it).", Required = true };
        var data = new Option<string>("--data") { Description = "The styletransfer data folder.", DefaultValueFactory = _ => "../shared/data/styletransfer" };
        var size = new Option<int>("--size") { Description = "Longer side of our result.", DefaultValueFactory = _ => new TransferSettings().Size };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => new TransferSettings().Steps };
        var strength = new Option<float>("--strength") { DefaultValueFactory = _ => new TransferSettings().Strength };
        var only = new Option<string[]>("--pair") { Description = "Only these reference names (without extension); repeat or list.", AllowMultipleArgumentsPerToken = true };
        var tuning = new TransferInputs.TuningOptions();
        var command = new Command("sheet", "Render every reference pair with our transfer and print style, content and colour figures.")
        {
            output, data, size, steps, strength, only,
        };
        tuning.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var root = parse.GetValue(data)!;
            var folder = parse.GetValue(output)!;
            var settings = tuning.Apply(parse, new TransferSettings { Size = parse.GetValue(size), Steps = parse.GetValue(steps), Strength = parse.GetValue(strength) });
            if (settings.Problem() is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }

            Directory.CreateDirectory(folder);
            var wanted = parse.GetValue(only) ?? [];
            using var host = await cli.StartWithoutDatabaseAsync(ct);
            using var engine = ActivatorUtilities.CreateInstance<StyleTransferEngine>(host.Services, tuning.Layers(parse));
            if (!engine.IsAvailable)
            {
                Console.Error.WriteLine($"Style transfer is unavailable: {engine.UnavailableReason}");
                return 1;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"settings size={settings.Size} steps={settings.Steps} strength={settings.Strength} palette={settings.Palette} coarse={settings.CoarseFraction} rematch={settings.RematchAt} after_amount={settings.AfterAmount} colour_weight={settings.ColourWeight} rotations={settings.PaletteRotations} lr={settings.LearningRate}"));
            var rows = new List<double[]>();
            foreach (var (reference, contentName, styleName) in Pairs)
            {
                var name = Path.GetFileNameWithoutExtension(reference);
                if (wanted.Length > 0 && !wanted.Contains(name))
                {
                    continue;
                }

                var (contentPath, stylePath, referencePath) = (Path.Combine(root, "contents", contentName), Path.Combine(root, "styles", styleName), Path.Combine(root, "reference_outputs", reference));
                if (!File.Exists(contentPath) || !File.Exists(stylePath) || !File.Exists(referencePath))
                {
                    Console.WriteLine($"{name}: skipped, missing {string.Join(", ", new[] { contentPath, stylePath, referencePath }.Where(p => !File.Exists(p)))}");
                    continue;
                }

                var figuresPath = Path.Combine(folder, name + ".txt");
                var sheetPath = Path.Combine(folder, name + ".png");
                string line;
                if (File.Exists(figuresPath) && File.Exists(sheetPath))
                {
                    line = File.ReadAllText(figuresPath).Trim();
                }
                else
                {
                    line = Render(engine, settings, contentPath, stylePath, referencePath, sheetPath, name);
                    File.WriteAllText(figuresPath + ".tmp", line + "\n");
                    File.Move(figuresPath + ".tmp", figuresPath, overwrite: true);
                }

                Console.WriteLine(line);
                rows.Add([.. line.Split(' ').Skip(1).Select(f => double.Parse(f[(f.IndexOf('=', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture))]);
            }

            if (rows.Count > 0)
            {
                // Columns: style_loss_drop content_loss_ratio colour_result colour_photo colour_reference seconds.
                double Mean(int column) => rows.Average(r => r[column]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"mean over {rows.Count} pairs: style_loss_drop={Mean(0):F3} content_loss_ratio={Mean(1):F3} colour_chi2 result→style={Mean(2):F3} photo→style={Mean(3):F3} reference→style={Mean(4):F3} result/reference={Mean(2) / Mean(4):F2}"));
            }

            return 0;
        });
        return command;
    }

    private static string Render(StyleTransferEngine engine, TransferSettings settings, string contentPath, string stylePath, string referencePath, string sheetPath, string name)
    {
        using var photo = TransferInputs.LoadImage(contentPath);
        using var style = TransferInputs.LoadImage(stylePath);
        using var reference = TransferInputs.LoadImage(referencePath);
        var started = TimeProvider.System.GetTimestamp();
        using var result = engine.Transfer(photo, [new StyleSource(style, 1)], settings);
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;

        // Photo, style, ours, reference, each scaled to our result's height, side by side.
        var height = result.Image.Height;
        Image<Rgb24>[] panels = [Scaled(photo, height), Scaled(style, height), result.Image.Clone(), Scaled(reference, height)];
        try
        {
            using var sheet = new Image<Rgb24>(panels.Sum(p => p.Width) + (8 * (panels.Length - 1)), height, new Rgb24(255, 255, 255));
            var x = 0;
            foreach (var panel in panels)
            {
                var left = x;
                sheet.Mutate(c => c.DrawImage(panel, new Point(left, 0), 1f));
                x += panel.Width + 8;
            }

            sheet.SaveAsPng(sheetPath + ".tmp.png");
            File.Move(sheetPath + ".tmp.png", sheetPath, overwrite: true);
            result.Image.SaveAsPng(Path.Combine(Path.GetDirectoryName(sheetPath)!, name + ".ours.png"));
        }
        finally
        {
            foreach (var panel in panels)
            {
                panel.Dispose();
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{name} style_loss_drop={result.StyleLossDrop:F3} content_loss_ratio={result.ContentLossRatio:F3} colour_chi2_result={Palette.ChiSquare(result.Image, style):F3} colour_chi2_photo={Palette.ChiSquare(photo, style):F3} colour_chi2_reference={Palette.ChiSquare(reference, style):F3} seconds={seconds:F0}");
    }

    private static Image<Rgb24> Scaled(Image<Rgb24> image, int height) =>
        image.Clone(c => c.Resize(Math.Max(1, (int)Math.Round((double)image.Width * height / image.Height)), height));
}
