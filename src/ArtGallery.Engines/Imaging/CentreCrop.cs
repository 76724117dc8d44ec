using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace ArtGallery.Engines.Imaging;

public static class CentreCrop
{
    /// <summary>A copy resized to fill exactly <paramref name="width"/>×<paramref name="height"/>, cropping the centre.</summary>
    public static Image<Rgb24> Fill(Image<Rgb24> image, int width, int height, IResampler sampler)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Clone(x => x.Resize(new ResizeOptions
        {
            Size = new Size(width, height),
            Mode = ResizeMode.Crop,
            Position = AnchorPositionMode.Center,
            Sampler = sampler,
        }));
    }
}
