namespace ArtGallery.Engines.Imaging;

/// <summary>Bounds on what the app agrees to decode, so a hostile file gets an error, not the memory.</summary>
public sealed record ImageLimits
{
    public const string Section = "Images:Limits";

    /// <summary>Largest accepted file, in bytes (default 64 MiB).</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest accepted width × height (default 80 megapixels, about 240 MB as RGB).</summary>
    public long MaxPixels { get; init; } = 80_000_000;

    /// <summary>Largest accepted side, in pixels.</summary>
    public int MaxSide { get; init; } = 20_000;

    public static ImageLimits Default { get; } = new();
}

/// <summary>Why an image was refused; the message is meant for the person who supplied it.</summary>
public sealed class ImageRejectedException : Exception
{
    public ImageRejectedException()
    {
    }

    public ImageRejectedException(string message)
        : base(message)
    {
    }

    public ImageRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
