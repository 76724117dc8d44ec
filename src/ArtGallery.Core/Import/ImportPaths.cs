using ArtGallery.Core.Ingestion;

namespace ArtGallery.Core.Import;

/// <summary>Path rules shared by every import layout: nothing outside the import's folder is ever read.</summary>
public static class ImportPaths
{
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".tga",
    };

    /// <summary>Files an import reads for metadata, not as images.</summary>
    public static readonly IReadOnlySet<string> SidecarExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".csv", ".json" };

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, or null if it would leave it.</summary>
    public static string? Resolve(string root, string relative)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(relative);
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var rootFull = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(rootFull, relative));
        var prefix = rootFull.EndsWith(Path.DirectorySeparatorChar) ? rootFull : rootFull + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
    }

    public static string Relative(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');

    /// <summary>Image files under a folder in ordinal order (the stable order a resumed import relies on).</summary>
    public static List<string> Images(string root, SearchOption option) =>
        [.. Directory.EnumerateFiles(root, "*", option).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal)];

    /// <summary>Rows for image files no sidecar mentioned: the file name is the title.</summary>
    public static IEnumerable<PlannedRow> Unlisted(string root, ISet<string> referenced, string? style = null)
    {
        foreach (var file in Images(root, SearchOption.AllDirectories).Where(f => !referenced.Contains(f)))
        {
            var relative = Relative(root, file);
            yield return new PlannedRow(relative)
            {
                File = file,
                Metadata = new ArtworkMetadata(TitleFromFileName(file))
                {
                    Source = MetadataRules.Source(relative),
                    Tags = style is null ? [] : [(TagVocabulary.Style, style)],
                },
            };
        }
    }

    /// <summary>Pictures the gallery cannot take: failed with a reason, not skipped in silence.</summary>
    public static readonly IReadOnlySet<string> RefusedPictureExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".svg", ".svgz", ".heic", ".heif", ".avif", ".jxl",
    };

    /// <summary>
    /// Files that are neither images nor sidecars: reported so a misnamed image is not silently left
    /// out; pictures in a format the gallery refuses (SVG, HEIC, …) fail their row.
    /// </summary>
    public static IEnumerable<PlannedRow> Others(string root, string? except = null) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !ImageExtensions.Contains(Path.GetExtension(f)) && !SidecarExtensions.Contains(Path.GetExtension(f)) && f != except
                && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(f => RefusedPictureExtensions.Contains(Path.GetExtension(f))
                ? PlannedRow.Fail(Relative(root, f), $"{Path.GetExtension(f).ToUpperInvariant().TrimStart('.')} files are not imported; the gallery takes {ImageList}")
                : PlannedRow.Skip(Relative(root, f), $"not an image file (extension \"{Path.GetExtension(f)}\"); images are {ImageList}"));

    /// <summary>"Post_Impressionism/vincent-van-gogh_the-starry-night.jpg" → "The Starry Night": the artist prefix goes.</summary>
    public static string TitleFromFileName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        if (underscore > 0 && underscore < name.Length - 1)
        {
            name = name[(underscore + 1)..];
        }

        return ColumnMapping.TitleCase(name);
    }

    private static string ImageList => string.Join(", ", ImageExtensions.Order(StringComparer.Ordinal));
}
