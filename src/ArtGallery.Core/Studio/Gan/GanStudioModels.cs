namespace ArtGallery.Core.Studio.Gan;

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
