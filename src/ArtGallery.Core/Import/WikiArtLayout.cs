using System.Globalization;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.Core.Import;

/// <summary>
/// The WikiArt dataset layout, <c>&lt;Style&gt;/&lt;artist&gt;_&lt;title&gt;.jpg</c>: the folder is a curator
/// style tag, the file name gives the artist and title (and the year when the title ends in one).
/// </summary>
public static class WikiArtLayout
{
    public static List<PlannedRow> Plan(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var rows = new List<PlannedRow>();
        foreach (var file in ImportPaths.Images(root, SearchOption.AllDirectories))
        {
            var relative = ImportPaths.Relative(root, file);
            var parts = relative.Split('/');
            var metadata = Parse(Path.GetFileNameWithoutExtension(file)) with { Source = MetadataRules.Source(relative) };
            if (parts.Length >= 2)
            {
                metadata = metadata with { Tags = [(TagVocabulary.Style, ColumnMapping.TitleCase(parts[^2]))] };
            }

            var error = MetadataRules.Check(metadata);
            rows.Add(error is null ? new PlannedRow(relative) { File = file, Metadata = metadata } : PlannedRow.Fail(relative, error));
        }

        rows.AddRange(ImportPaths.Others(root));
        return rows;
    }

    /// <summary>"claude-monet_water-lilies-1916" → artist Claude Monet, title Water Lilies, year 1916.</summary>
    public static ArtworkMetadata Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        var artist = underscore > 0 ? ColumnMapping.TitleCase(name[..underscore]) : null;
        var titlePart = underscore > 0 && underscore < name.Length - 1 ? name[(underscore + 1)..] : name;
        var words = titlePart.Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries).ToList();
        int? year = null;
        if (words.Count > 1 && words[^1].Length == 4 && int.TryParse(words[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1000 and <= 2200)
        {
            year = y;
            words.RemoveAt(words.Count - 1);
        }

        var title = ColumnMapping.TitleCase(string.Join(' ', words));
        return new ArtworkMetadata(title.Length > 0 ? title : name)
        {
            Artist = artist is { Length: > 0 } ? new ArtistInfo(artist) : null,
            Year = year,
        };
    }
}
