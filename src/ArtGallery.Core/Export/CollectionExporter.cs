using System.Globalization;
using System.Security.Claims;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Storage;
using ArtGallery.Core.Import;

namespace ArtGallery.Core.Export;

/// <summary>A model's style suggestion on a work, published as a tagging annotation.</summary>
public sealed record StyleSuggestion(string Style, float Confidence, string? Model);

public sealed record ExportedWork(
    int Id, string Title, string? Artist, int? Year, string? Medium, string? Dimensions, string? Description, string? Credit, string? Licence,
    string Sha256, string ImageFormat, int Width, int Height, IReadOnlyList<(TagVocabulary Vocabulary, string Name)> Tags, IReadOnlyList<StyleSuggestion> Suggestions)
{
    /// <summary>The image's file name in an export: stable, readable and unique (hash prefix).</summary>
    public string FileName => $"{Sha256[..12]}-{Slug.From(Title)}.{Extension(ImageFormat)}";

    private static string Extension(string format) => format.ToUpperInvariant() switch
    {
        "JPEG" => "jpg",
        "PNG" => "png",
        "GIF" => "gif",
        "BMP" => "bmp",
        "TIFF" => "tif",
        "WEBP" => "webp",
        "TGA" => "tga",
        _ => "bin",
    };
}

public sealed record CollectionExport(int Id, string Name, string Slug, string? Description, bool IsPublished, IReadOnlyList<ExportedWork> Works);

/// <summary>
/// Exports a collection as CSV (the import's own columns, so export → import round-trips) and as a
/// IIIF Presentation 3 manifest (<see cref="IiifManifestWriter"/>). Published collections are public;
/// an unpublished one needs the Curate level.
/// </summary>
public sealed class CollectionExporter(IDbContextFactory<GalleryDbContext> contextFactory, ImageStore store, CallerVerifier callers)
{
    /// <summary>The CSV header, in order; every name is one the importer maps without --map.</summary>
    public static readonly string[] CsvColumns = ["file", "title", "artist", "year", "medium", "dimensions", "description", "tags", "credit", "licence"];

    /// <summary>The collection with its works in order, or null when there is none with that id.</summary>
    public async Task<CollectionExport?> LoadAsync(ClaimsPrincipal caller, int collectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var collection = await db.Collections.AsNoTracking().Where(c => c.Id == collectionId && c.OwnerId == null)
            .Select(c => new { c.Id, c.Name, c.Slug, c.Description, c.IsPublished }).FirstOrDefaultAsync(cancellationToken);
        if (collection is null)
        {
            return null;
        }

        if (!collection.IsPublished)
        {
            caller = await callers.DemandAsync(caller, AccessLevel.Curate, "Export of an unpublished collection", cancellationToken);
        }

        var works = await db.CollectionItems.AsNoTracking().Where(i => i.CollectionId == collectionId).OrderBy(i => i.Position)
            .Select(i => i.Artwork!)
            .Select(a => new
            {
                a.Id, a.Title, Artist = a.Artist != null ? a.Artist.Name : null, a.Year, a.Medium, a.Dimensions, a.Description, a.Credit, a.Licence,
                a.ImageSha256, a.ImageFormat, a.PixelWidth, a.PixelHeight,
                Tags = a.Tags.Where(t => t.Source == TagSource.Curator && t.Status == TagStatus.Accepted)
                    .OrderBy(t => t.Tag!.Vocabulary).ThenBy(t => t.Tag!.Name).Select(t => new { t.Tag!.Vocabulary, t.Tag.Name }).ToList(),
                Suggestions = a.Tags.Where(t => t.Source == TagSource.Model && t.Status != TagStatus.Rejected && t.Tag!.Vocabulary == TagVocabulary.Style)
                    .OrderByDescending(t => t.Confidence).Select(t => new { t.Tag!.Name, t.Confidence, t.CreatedBy }).ToList(),
            })
            .ToListAsync(cancellationToken);
        return new CollectionExport(collection.Id, collection.Name, collection.Slug, collection.Description, collection.IsPublished,
        [
            .. works.Select(w => new ExportedWork(w.Id, w.Title, w.Artist, w.Year, w.Medium, w.Dimensions, w.Description, w.Credit, w.Licence,
                w.ImageSha256, w.ImageFormat, w.PixelWidth, w.PixelHeight,
                [.. w.Tags.Select(t => (t.Vocabulary, t.Name))],
                [.. w.Suggestions.Select(s => new StyleSuggestion(s.Name, s.Confidence, s.CreatedBy))])),
        ]);
    }

    /// <summary>Writes the CSV: tags as <see cref="ColumnMapping.JoinTags"/> writes them, so they come back whole and in their vocabularies.</summary>
    public static async Task WriteCsvAsync(CollectionExport collection, TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteAsync(CsvText.Line(CsvColumns) + "\r\n");
        foreach (var w in collection.Works)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(CsvText.Line(
            [
                w.FileName, w.Title, w.Artist, w.Year?.ToString(CultureInfo.InvariantCulture), w.Medium, w.Dimensions, w.Description,
                ColumnMapping.JoinTags(w.Tags), w.Credit, w.Licence,
            ]) + "\r\n");
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>Copies the originals beside an exported CSV under the file names it lists; returns how many.</summary>
    public async Task<int> CopyImagesAsync(CollectionExport collection, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        Directory.CreateDirectory(folder);
        var copied = 0;
        foreach (var work in collection.Works)
        {
            var target = Path.Combine(folder, work.FileName);
            if (!File.Exists(target) && store.HasOriginal(work.Sha256))
            {
                await File.WriteAllBytesAsync(target, await store.ReadOriginalAsync(work.Sha256, cancellationToken), cancellationToken);
                copied++;
            }
        }

        return copied;
    }
}
