using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Studio.Gan;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Evaluation.Studio;

/// <summary>One training image: its name (relative path) and pixels.</summary>
public sealed record NamedImage(string Name, Image<Rgb24> Image);

/// <summary>
/// The GAN's training images as the recipe (models/training/gan/train.py) sees them: any image
/// folder, or the demo collection painted in memory; names sorted ordinally; every
/// <see cref="HoldoutEvery"/>-th held out (index % 6 == 5), never trained on.
/// </summary>
public static class GanTrainingImages
{
    public const int HoldoutEvery = 6;

    /// <summary>Side the demo collection is painted at for training (`demo-images --size 128`).</summary>
    public const int DemoSide = 128;

    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp"];

    /// <summary>The file name `demo-images` gives a demo work.</summary>
    public static string DemoName(DemoWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return FormattableString.Invariant($"demo-{work.Index:D5}-{work.Movement}-{work.Subject}.png");
    }

    /// <summary>A demo work painted and centre-cropped to a square of <paramref name="side"/> (0: as painted).</summary>
    public static Image<Rgb24> PaintDemo(DemoWork work, int side)
    {
        var painted = DemoPainter.Paint(work);
        if (side == 0)
        {
            return painted;
        }

        using (painted)
        {
            return GanImages.SquareCrop(painted, side);
        }
    }

    /// <summary>The relative paths of the images under <paramref name="folder"/>, in the recipe's order.</summary>
    public static IReadOnlyList<string> List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Image folder {folder} does not exist.");
        }

        return [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => Extensions.Contains(Path.GetExtension(p).ToLowerInvariant()))
            .Select(p => Path.GetRelativePath(folder, p))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The training and held-out halves of an ordered list, by the recipe's rule.</summary>
    public static (IReadOnlyList<T> Train, IReadOnlyList<T> HeldOut) Split<T>(IReadOnlyList<T> ordered)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        var train = new List<T>();
        var held = new List<T>();
        for (var i = 0; i < ordered.Count; i++)
        {
            (i % HoldoutEvery == HoldoutEvery - 1 ? held : train).Add(ordered[i]);
        }

        return (train, held);
    }
}
