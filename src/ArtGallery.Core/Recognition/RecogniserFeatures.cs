using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// What the style recogniser reads of a work: its two stored embeddings side by side. Built only
/// from what the embedding pipeline already stores, so training after a curator's decision needs
/// no image decoding and no network pass (decision 0005).
/// </summary>
public static class RecogniserFeatures
{
    public static int Dimensions => StyleEncoder.StyleDimensions + StyleEncoder.ContentDimensions;

    public static float[] From(ReadOnlySpan<float> style, ReadOnlySpan<float> content)
    {
        var features = new float[style.Length + content.Length];
        style.CopyTo(features);
        content.CopyTo(features.AsSpan(style.Length));
        return features;
    }

    public static float[] From(EncodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return From(image.Style, image.Content);
    }
}
