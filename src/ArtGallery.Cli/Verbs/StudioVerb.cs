using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.StyleTransfer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Cli.Verbs;

/// <summary>Studio renders from the command line: no database, the engines alone.</summary>
internal static class StudioVerb
{
    public static Command Create()
    {
        var studio = new Command("studio", "Studio renders (style transfer).");
        studio.Subcommands.Add(Transfer());
        studio.Subcommands.Add(StudioSheet.Create());
        studio.Subcommands.Add(PoemEval.Write());
        return studio;
    }

    /// <summary>A file path, demo:N for work N of the generated demo collection (seed 42), or synthetic:landscape.</summary>
    public static Image<Rgb24> LoadImage(string source)
    {
        if (source.StartsWith("demo:", StringComparison.Ordinal))
        {
            if (!int.TryParse(source.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index is < 0 or >= 600)
            {
                throw new ArgumentException($"'{source}': demo works are demo:0 … demo:599.");
            }

            return DemoPainter.Paint(DemoCatalogue.Plan(index + 1, 42)[index]);
        }

        if (source == "synthetic:landscape")
        {
            return SyntheticPhoto.Landscape();
        }

        if (!File.Exists(source))
        {
            throw new ArgumentException($"'{source}' does not exist.");
        }

        return new ImageDecoder().Decode(File.ReadAllBytes(source));
    }

    public static IOptions<EngineOptions> EngineOptionsFromEnvironment() => Options.Create(new EngineOptions
    {
        ExecutionProvider = Enum.TryParse<ExecutionProviderPreference>(Environment.GetEnvironmentVariable("Engines__ExecutionProvider"), true, out var p) ? p : ExecutionProviderPreference.Auto,
    });

    private static Command Transfer()
    {
        var content = new Option<string>("--content") { Description = "The photo: a file, or demo:N.", Required = true };
        var style = new Option<string[]>("--style") { Description = "One to three style images (files or demo:N); repeat the option.", Required = true, AllowMultipleArgumentsPerToken = true };
        var weights = new Option<float[]>("--style-weight") { Description = "Blend weight per --style, in order (default 1 each).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Where to write the PNG.", Required = true };
        var size = new Option<int>("--size") { Description = "Longer side in pixels (256–1024).", DefaultValueFactory = _ => 512 };
        var steps = new Option<int>("--steps") { Description = "Optimisation steps.", DefaultValueFactory = _ => 300 };
        var strength = new Option<float>("--strength") { Description = "Style weight relative to content.", DefaultValueFactory = _ => new TransferSettings().Strength };
        var contentWeight = new Option<float>("--content-weight") { Description = "Content weight.", DefaultValueFactory = _ => 1f };
        var keepColours = new Option<bool>("--keep-colors") { Description = "Keep the photo's own colours (luminance-only transfer)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var softmax = new Option<bool>("--softmax") { Description = "Softmax-smooth style features before the Gram matrices (Wang et al. 2021)." };
        var tuning = new TuningOptions();
        var command = new Command("transfer", "Paint a photo in the style of one or more works (Gatys et al. on ResNet18).")
        {
            content, style, weights, output, size, steps, strength, contentWeight, keepColours, seed, softmax,
        };
        tuning.AddTo(command);
        command.SetAction(parse =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            var settings = tuning.Apply(parse, new TransferSettings
            {
                Size = parse.GetValue(size),
                Steps = parse.GetValue(steps),
                Strength = parse.GetValue(strength),
                ContentWeight = parse.GetValue(contentWeight),
                KeepColours = parse.GetValue(keepColours),
                Seed = parse.GetValue(seed),
            });
            if (settings.Problem() is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }

            var styleSources = parse.GetValue(style) ?? [];
            var styleWeights = parse.GetValue(weights) ?? [];
            if (styleSources.Length is < 1 or > 3 || (styleWeights.Length > 0 && styleWeights.Length != styleSources.Length))
            {
                Console.Error.WriteLine("Give one to three --style images and, if any, one --style-weight per style.");
                return 2;
            }

            var images = new List<Image<Rgb24>>();
            try
            {
                using var photo = LoadImage(parse.GetValue(content)!);
                images.AddRange(styleSources.Select(LoadImage));
                var layers = tuning.Layers(parse) with { SoftmaxStyle = parse.GetValue(softmax) };
                using var engine = new StyleTransferEngine(EngineOptionsFromEnvironment(), loggers.CreateLogger<StyleTransferEngine>(), layers);
                if (!engine.IsAvailable)
                {
                    Console.Error.WriteLine($"Style transfer is unavailable: {engine.UnavailableReason}");
                    return 1;
                }

                var stopwatch = Stopwatch.StartNew();
                var sources = images.Select((im, i) => new StyleSource(im, styleWeights.Length > 0 ? styleWeights[i] : 1f)).ToList();
                using var result = engine.Transfer(photo, sources, settings, p =>
                {
                    if (p.Step == 1 || p.Step % 25 == 0 || p.Step == p.Steps)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.Steps} style_loss={p.StyleLoss:F5} content_loss={p.ContentLoss:F5}"));
                    }
                });
                var seconds = stopwatch.Elapsed.TotalSeconds;
                var path = parse.GetValue(output)!;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                result.Image.SaveAsPng(path);

                // How far the style embedding the gallery searches with moved toward the (first) style.
                using var encoder = new StyleEncoder(EngineOptionsFromEnvironment(), loggers.CreateLogger<StyleEncoder>());
                if (encoder.IsAvailable)
                {
                    var encoded = encoder.Encode([photo, result.Image, images[0]]);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"style_similarity_photo={StyleDescriptors.CosineSimilarity(encoded[0].Style, encoded[2].Style):F3} style_similarity_result={StyleDescriptors.CosineSimilarity(encoded[1].Style, encoded[2].Style):F3} provider={engine.Provider} step_ms={result.StepMilliseconds:F0}"));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"style_loss_drop={result.StyleLossDrop:F3} content_loss_ratio={result.ContentLossRatio:F3} seconds={seconds:F1}"));
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or ImageRejectedException or IOException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
            finally
            {
                foreach (var image in images)
                {
                    image.Dispose();
                }
            }
        });
        return command;
    }

    /// <summary>The engine's tuning knobs, for measuring candidates from the command line; each defaults to <see cref="TransferSettings"/>'s value.</summary>
    internal sealed class TuningOptions
    {
        private readonly Option<PaletteMatch?> _palette = new("--palette") { Description = "Impose the style's palette by Lab histogram matching: None, Before, After or Both (default: the engine's)." };
        private readonly Option<float?> _coarse = new("--coarse") { Description = "Share of the steps run first at half size (default: the engine's)." };
        private readonly Option<float?> _learningRate = new("--learning-rate") { Description = "Adam step in pixel levels (default: the engine's)." };
        private readonly Option<float?> _tv = new("--tv") { Description = "Total variation weight (default: the engine's)." };
        private readonly Option<string[]> _styleLayers = new("--style-layers") { Description = "Encoder tensors for the style loss (default: the engine's).", AllowMultipleArgumentsPerToken = true };

        public void AddTo(Command command)
        {
            command.Options.Add(_palette);
            command.Options.Add(_coarse);
            command.Options.Add(_learningRate);
            command.Options.Add(_tv);
            command.Options.Add(_styleLayers);
        }

        public TransferSettings Apply(ParseResult parse, TransferSettings settings) => settings with
        {
            Palette = parse.GetValue(_palette) ?? settings.Palette,
            CoarseFraction = parse.GetValue(_coarse) ?? settings.CoarseFraction,
            LearningRate = parse.GetValue(_learningRate) ?? settings.LearningRate,
            TotalVariationWeight = parse.GetValue(_tv) ?? settings.TotalVariationWeight,
        };

        public TransferLayers Layers(ParseResult parse) =>
            parse.GetValue(_styleLayers) is { Length: > 0 } taps ? TransferLayers.Default with { StyleLayers = taps } : TransferLayers.Default;
    }
}
