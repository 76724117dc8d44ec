using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Imaging;
using ArtGallery.Engines.Studio.StyleTransfer;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>What <c>studio transfer</c> and <c>studio sheet</c> share: image sources and the engine's tuning knobs.</summary>
public static class TransferInputs
{
    /// <summary>A file path, demo:N for work N of the generated demo collection (seed 42), or synthetic:landscape.</summary>
    public static Image<Rgb24> LoadImage(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
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

    /// <summary>The engine's tuning knobs, for measuring candidates from the command line; each defaults to <see cref="TransferSettings"/>'s value.</summary>
    public sealed class TuningOptions
    {
        private readonly Option<PaletteMatch?> _palette = new("--palette") { Description = "Impose the style's palette by Lab histogram matching: None, Before, After or Both (default: the engine's)." };
        private readonly Option<float?> _coarse = new("--coarse") { Description = "Share of the steps run first at half size (default: the engine's)." };
        private readonly Option<float?> _learningRate = new("--learning-rate") { Description = "Adam step in pixel levels (default: the engine's)." };
        private readonly Option<float?> _tv = new("--tv") { Description = "Total variation weight (default: the engine's)." };
        private readonly Option<float?> _rematch = new("--rematch") { Description = "Share of the steps after which the image is matched to the style's palette again (0: never; default: the engine's)." };
        private readonly Option<float?> _afterAmount = new("--after-amount") { Description = "How far (0-1) the result is moved to the style's palette afterwards, with --palette After or Both (default: the engine's)." };
        private readonly Option<float?> _colourWeight = new("--colour-weight") { Description = "Weight of the colour-moment loss term (0: off; default: the engine's)." };
        private readonly Option<int?> _rotations = new("--palette-rotations") { Description = "Sets of axes the palette is matched along (1: L, a, b; more: random rotations too; default: the engine's)." };
        private readonly Option<string[]> _styleLayers = new("--style-layers") { Description = "Encoder tensors for the style loss (default: the engine's).", AllowMultipleArgumentsPerToken = true };

        public void AddTo(Command command)
        {
            command.Options.Add(_palette);
            command.Options.Add(_coarse);
            command.Options.Add(_learningRate);
            command.Options.Add(_tv);
            command.Options.Add(_rematch);
            command.Options.Add(_afterAmount);
            command.Options.Add(_colourWeight);
            command.Options.Add(_rotations);
            command.Options.Add(_styleLayers);
        }

        public TransferSettings Apply(ParseResult parse, TransferSettings settings) => settings with
        {
            Palette = parse.GetValue(_palette) ?? settings.Palette,
            CoarseFraction = parse.GetValue(_coarse) ?? settings.CoarseFraction,
            LearningRate = parse.GetValue(_learningRate) ?? settings.LearningRate,
            TotalVariationWeight = parse.GetValue(_tv) ?? settings.TotalVariationWeight,
            RematchAt = parse.GetValue(_rematch) ?? settings.RematchAt,
            AfterAmount = parse.GetValue(_afterAmount) ?? settings.AfterAmount,
            ColourWeight = parse.GetValue(_colourWeight) ?? settings.ColourWeight,
            PaletteRotations = parse.GetValue(_rotations) ?? settings.PaletteRotations,
        };

        public TransferLayers Layers(ParseResult parse) =>
            parse.GetValue(_styleLayers) is { Length: > 0 } taps ? TransferLayers.Default with { StyleLayers = taps } : TransferLayers.Default;
    }
}
