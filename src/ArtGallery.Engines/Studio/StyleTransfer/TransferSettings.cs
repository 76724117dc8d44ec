namespace ArtGallery.Engines.Studio.StyleTransfer;

/// <summary>What a visitor (or the CLI) chooses for one render.</summary>
public sealed record TransferSettings
{
    public const int MinSize = 256;
    public const int MaxSize = 1024;
    public const int MaxSteps = 2000;

    /// <summary>
    /// The strengths behind the studio's "faithful ↔ painterly" control, left to right; the
    /// figures that chose them are in decision 0013.
    /// </summary>
    public static IReadOnlyList<float> FaithfulToPainterly { get; } = [3f, 10f, 30f];

    /// <summary>The control's default position: <see cref="Strength"/>'s default.</summary>
    public const int DefaultPainterly = 1;

    /// <summary>Longer side of the result in pixels (256–1024; rounded to a multiple of 32).</summary>
    public int Size { get; init; } = 512;

    public int Steps { get; init; } = 300;

    /// <summary>Style weight relative to content (each loss is normalised by its target's energy).</summary>
    public float Strength { get; init; } = FaithfulToPainterly[DefaultPainterly];

    public float ContentWeight { get; init; } = 1f;

    public bool KeepColours { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Adam step in pixel levels (0–255 scale).</summary>
    public float LearningRate { get; init; } = 4f;

    public float TotalVariationWeight { get; init; } = 1e-4f;

    /// <summary>Amplitude in pixel levels of the seeded noise added to the photo at the start.</summary>
    public float StartNoise { get; init; } = 4f;

    /// <summary>Whether the style's palette is imposed by Lab histogram matching (ignored with <see cref="KeepColours"/>).</summary>
    public PaletteMatch Palette { get; init; } = PaletteMatch.Before;

    /// <summary>Share of the steps run first at half the sides (0: single scale).</summary>
    public float CoarseFraction { get; init; }

    /// <summary>
    /// Share of the steps after which the current image is matched to the style's palette again
    /// (0: never); the remaining steps restore the texture. Only with a palette step before.
    /// </summary>
    public float RematchAt { get; init; }

    /// <summary>How far (0–1, in Lab) the result is moved towards the style's palette after optimising, with <see cref="PaletteMatch.After"/> or <see cref="PaletteMatch.Both"/>.</summary>
    public float AfterAmount { get; init; } = 1f;

    /// <summary>Sets of axes the palette is matched along (1: L, a, b only; more: also random rotations of Lab, so the joint distribution follows).</summary>
    /// <remarks>10 by default: the figures that chose it are in decision 0015.</remarks>
    public int PaletteRotations { get; init; } = 10;

    /// <summary>Weight of the colour-moment term (the result's pixel mean and covariance against the style's; 0: off).</summary>
    /// <remarks>10 by default (decision 0015): 100 held colour closer still but cost style-loss drop.</remarks>
    public float ColourWeight { get; init; } = 10f;

    /// <summary>Checks every field; returns a visitor-readable problem or null.</summary>
    public string? Problem()
    {
        if (Size is < MinSize or > MaxSize)
        {
            return $"Size must be between {MinSize} and {MaxSize} pixels (got {Size}).";
        }

        if (Steps is < 1 or > MaxSteps)
        {
            return $"Steps must be between 1 and {MaxSteps} (got {Steps}).";
        }

        if (!float.IsFinite(Strength) || Strength is <= 0 or > 100)
        {
            return $"Strength must be above 0 and at most 100 (got {Strength}).";
        }

        if (!float.IsFinite(ContentWeight) || ContentWeight is < 0 or > 100)
        {
            return $"Content weight must be between 0 and 100 (got {ContentWeight}).";
        }

        if (!float.IsFinite(LearningRate) || LearningRate is <= 0 or > 64)
        {
            return $"Learning rate must be above 0 and at most 64 (got {LearningRate}).";
        }

        if (!float.IsFinite(CoarseFraction) || CoarseFraction is < 0 or >= 1)
        {
            return $"Coarse fraction must be at least 0 and below 1 (got {CoarseFraction}).";
        }

        if (!float.IsFinite(RematchAt) || RematchAt is < 0 or >= 1)
        {
            return $"Re-match point must be at least 0 and below 1 (got {RematchAt}).";
        }

        if (!float.IsFinite(AfterAmount) || AfterAmount is < 0 or > 1)
        {
            return $"After-match amount must be between 0 and 1 (got {AfterAmount}).";
        }

        if (PaletteRotations is < 1 or > 100)
        {
            return $"Palette rotations must be between 1 and 100 (got {PaletteRotations}).";
        }

        if (!float.IsFinite(ColourWeight) || ColourWeight is < 0 or > 1000)
        {
            return $"Colour weight must be between 0 and 1000 (got {ColourWeight}).";
        }

        return !float.IsFinite(TotalVariationWeight) || TotalVariationWeight < 0 ? "Total variation weight must be non-negative." : null;
    }
}
