namespace ArtGallery.Core.Studio;

/// <summary>
/// A studio request that cannot be carried out as asked (bad settings, an image that is too large or
/// not an image, an engine that is not loaded, a quota reached): the one error every studio engine's
/// service throws at its boundary, with a message written for the visitor.
/// </summary>
public sealed class StudioRequestException : Exception
{
    public StudioRequestException()
    {
    }

    public StudioRequestException(string message)
        : base(message)
    {
    }

    public StudioRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
