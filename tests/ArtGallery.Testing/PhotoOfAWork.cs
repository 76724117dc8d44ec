using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Testing;

/// <summary>
/// What a visitor's snapshot of a work on a wall roughly does to it: smaller, a little tilted and
/// reframed, recompressed. Deterministic, so search-by-photo tests are repeatable.
/// </summary>
public static class PhotoOfAWork
{
    public static byte[] Take(byte[] image, double scale = 0.6, float degrees = 4, int jpegQuality = 70)
    {
        using var photo = Image.Load<Rgb24>(image);
        var width = Math.Max(16, (int)(photo.Width * scale));
        var height = Math.Max(16, (int)(photo.Height * scale));
        photo.Mutate(x => x.Resize(width, height).Rotate(degrees));

        // Rotation grows the canvas with filled corners; keep the centred 85 % of the scaled work,
        // which at up to 5° on a 4:3 work lies wholly inside the tilted picture, as framing would.
        var crop = new Rectangle((photo.Width - (int)(width * 0.85)) / 2, (photo.Height - (int)(height * 0.85)) / 2, (int)(width * 0.85), (int)(height * 0.85));
        photo.Mutate(x => x.Crop(crop));
        using var output = new MemoryStream();
        photo.SaveAsJpeg(output, new JpegEncoder { Quality = jpegQuality });
        return output.ToArray();
    }
}
