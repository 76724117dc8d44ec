using ArtGallery.Core.Ingestion;

namespace ArtGallery.Core.Import;

/// <summary>
/// A plain folder of images (<c>import --format folder</c>, and <c>import-folder</c>): the file name is
/// the title. An optional labels.csv beside the images (<see cref="LabelsFile"/>, the evaluation
/// format <c>path,style[,artist_slug]</c>) adds a style tag and an artist; a malformed labels.csv
/// throws <see cref="FormatException"/> while planning, so the import stops before anything is written.
/// </summary>
public static class FolderLayout
{
    public static List<PlannedRow> Plan(string root)
    {
        ArgumentNullException.ThrowIfNull(root);

        // A path listed twice takes its last row, as a spreadsheet edit appended below would expect.
        var labels = new Dictionary<string, LabelledImage>(StringComparer.Ordinal);
        if (File.Exists(Path.Combine(root, LabelsFile.FileName)))
        {
            foreach (var row in LabelsFile.Read(root))
            {
                labels[row.Path] = row;
            }
        }

        var rows = new List<PlannedRow>();
        foreach (var row in ImportPaths.Unlisted(root, new HashSet<string>()))
        {
            if (!labels.TryGetValue(row.Source, out var label))
            {
                rows.Add(row);
                continue;
            }

            var metadata = row.Metadata! with
            {
                Artist = label.Artist is { Length: > 0 } artist ? new ArtistInfo(ColumnMapping.TitleCase(artist)) : null,
                Tags = [(TagVocabulary.Style, ColumnMapping.TitleCase(label.Style))],
            };
            var error = MetadataRules.Check(metadata);
            rows.Add(error is null ? row with { Metadata = metadata } : PlannedRow.Fail(row.Source, error));
        }

        rows.AddRange(ImportPaths.Others(root));
        return rows;
    }
}
