namespace ArtGallery.Data.Entities;

public sealed class Artist
{
    public const int NameMaxLength = 300;

    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>URL- and file-safe identity, unique.</summary>
    public required string Slug { get; set; }

    public int? BirthYear { get; set; }

    public int? DeathYear { get; set; }

    public string? Nationality { get; set; }

    public string? Biography { get; set; }

    /// <summary>True for the invented artists of the generated demo collection.</summary>
    public bool IsGenerated { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<Artwork> Artworks { get; set; } = [];
}
