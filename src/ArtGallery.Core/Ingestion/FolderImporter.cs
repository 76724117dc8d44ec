using ArtGallery.Data.Entities;

namespace ArtGallery.Core.Ingestion;

public sealed record FolderImportResult(IReadOnlyList<IngestResult> Rows)
{
    public int Count(IngestOutcome outcome) => Rows.Count(r => r.Outcome == outcome);
}

/// <summary>
/// Imports a folder of images. An optional labels.csv beside them (<see cref="LabelsFile"/>, the
/// evaluation format) supplies style tags and artists; otherwise the file name becomes the title. A
/// malformed labels.csv stops the import before anything is written.
/// </summary>
public sealed class FolderImporter(ArtworkIngestor ingestor)
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".tga"];

    /// <summary>Pictures the gallery cannot take: reported, not passed over in silence.</summary>
    private static readonly string[] Refused = [".svg", ".svgz", ".heic", ".heif", ".avif", ".jxl"];

    public async Task<FolderImportResult> ImportAsync(string folder, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"No folder {folder}.");
        }

        // A path listed twice takes its last row, as a spreadsheet edit appended below would expect.
        var labels = new Dictionary<string, (string Style, string? Artist)>(StringComparer.Ordinal);
        if (File.Exists(Path.Combine(folder, LabelsFile.FileName)))
        {
            foreach (var row in LabelsFile.Read(folder))
            {
                labels[row.Path] = (row.Style, row.Artist);
            }
        }
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        var rows = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Refused.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .Select(f => new IngestResult(Path.GetRelativePath(folder, f).Replace('\\', '/'), IngestOutcome.Failed, null,
                $"{Path.GetExtension(f).ToUpperInvariant().TrimStart('.')} files are not imported; the gallery takes {string.Join(", ", Extensions)}"))
            .ToList();
        var refused = rows.Count;
        foreach (var chunk in files.Chunk(16))
        {
            var items = new List<(byte[] Data, ArtworkMetadata Metadata)>();
            foreach (var file in chunk)
            {
                var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
                try
                {
                    var length = new FileInfo(file).Length;
                    if (length > 256L * 1024 * 1024)
                    {
                        rows.Add(new IngestResult(relative, IngestOutcome.Failed, null, $"the file is {length / (1024 * 1024)} MiB; too large to read"));
                        continue;
                    }

                    items.Add((await File.ReadAllBytesAsync(file, cancellationToken), Metadata(relative, labels)));
                }
                catch (IOException ex)
                {
                    rows.Add(new IngestResult(relative, IngestOutcome.Failed, null, ex.Message));
                }
            }

            rows.AddRange(await ingestor.IngestAsync(items, cancellationToken));
            progress?.Report((rows.Count - refused, files.Count));
        }

        return new FolderImportResult(rows);
    }

    private static ArtworkMetadata Metadata(string relative, Dictionary<string, (string Style, string? Artist)> labels)
    {
        var title = TitleFromFileName(relative);
        if (!labels.TryGetValue(relative, out var label))
        {
            return new ArtworkMetadata(title) { Source = relative };
        }

        return new ArtworkMetadata(title)
        {
            Source = relative,
            Artist = label.Artist is { Length: > 0 } artist ? new ArtistInfo(TitleCase(artist)) : null,
            Tags = label.Style.Length > 0 ? [(TagVocabulary.Style, TitleCase(label.Style))] : [],
        };
    }

    public static string TitleFromFileName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        if (underscore > 0 && underscore < name.Length - 1)
        {
            name = name[(underscore + 1)..];
        }

        return TitleCase(name);
    }

    private static string TitleCase(string text)
    {
        var words = text.Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }
}
