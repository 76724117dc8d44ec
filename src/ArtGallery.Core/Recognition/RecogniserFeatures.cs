using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Recognition;

/// <summary>
/// What the recognisers read of a work: its stored embeddings side by side (style, then content).
/// Built only from what the embedding pipeline already stores, so training after a curator's
/// decision needs no image decoding and no network pass (decision 0005). Two views when the work
/// has them: the 224 centre crop that search uses, and the whole image at 448 px stored beside it
/// (<c>WholeView</c>); the recogniser reads their element-wise mean, which pooled over six
/// artist-disjoint splits beat either view alone (docs/recognition.md). A work without the whole
/// view yet is read from the crop alone.
/// </summary>
public static class RecogniserFeatures
{
    public static int Dimensions => StyleEncoder.StyleDimensions + StyleEncoder.ContentDimensions;

    /// <summary>One view's features: style then content.</summary>
    public static float[] From(ReadOnlySpan<float> style, ReadOnlySpan<float> content)
    {
        var features = new float[style.Length + content.Length];
        style.CopyTo(features);
        content.CopyTo(features.AsSpan(style.Length));
        return features;
    }

    /// <summary>
    /// The features of a work or photo: the mean of the crop's (<paramref name="style"/>,
    /// <paramref name="content"/>) and the whole view's (<paramref name="whole"/>, laid out as
    /// <see cref="From(ReadOnlySpan{float}, ReadOnlySpan{float})"/>), or the crop's alone when
    /// <paramref name="whole"/> is empty.
    /// </summary>
    public static float[] From(ReadOnlySpan<float> style, ReadOnlySpan<float> content, ReadOnlySpan<float> whole)
    {
        var features = From(style, content);
        if (whole.IsEmpty)
        {
            return features;
        }

        if (whole.Length != features.Length)
        {
            throw new ArgumentException($"The whole view has {whole.Length} values; the crop's features have {features.Length}.", nameof(whole));
        }

        System.Numerics.Tensors.TensorPrimitives.Add(features, whole, features);
        System.Numerics.Tensors.TensorPrimitives.Multiply(features, 0.5f, features);
        return features;
    }

    /// <summary>The features of an encoded image: both views if <see cref="EncodedImage.Whole"/> is set, else the crop's.</summary>
    public static float[] From(EncodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Whole is { } whole ? From(image.Style, image.Content, From(whole.Style, whole.Content)) : From(image.Style, image.Content);
    }
}
