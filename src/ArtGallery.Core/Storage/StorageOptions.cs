namespace ArtGallery.Core.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for originals and derived images; relative paths are from the working directory.</summary>
    public string DataDirectory { get; set; } = ".data/images";
}
