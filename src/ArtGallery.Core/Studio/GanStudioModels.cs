namespace ArtGallery.Core.Studio;

/// <summary>
/// One picture in the GAN studio: its latent, the 64-px PNG, and where it came from — a seed, or
/// two parents and a mutation — so a lineage can be shown and any picture made again.
/// </summary>
public sealed record GanPicture(
    string Id,
    string Label,
    float[] Latent,
    byte[] Png,
    IReadOnlyList<string> Parents,
    int Generation)
{
    public string DataUrl => "data:image/png;base64," + Convert.ToBase64String(Png);
}

/// <summary>A request the studio refuses (absurd counts, invalid seeds, bad parameters), with a message for the user.</summary>
public sealed class GanRequestException : Exception
{
    public GanRequestException(string message)
        : base(message)
    {
    }

    public GanRequestException()
    {
    }

    public GanRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
