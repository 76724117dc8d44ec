namespace ArtGallery.Core;

/// <summary>A curator or admin asked for something that cannot be done (bad input, stale data); nothing was changed.</summary>
public sealed class CurationException(string message) : Exception(message);
