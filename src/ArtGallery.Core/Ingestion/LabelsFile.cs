using ArtGallery.Core.Import;

namespace ArtGallery.Core.Ingestion;

/// <summary>One row of a labels.csv: an image path relative to its folder, its style and maybe its artist.</summary>
public sealed record LabelledImage(string Path, string Style, string? Artist);

/// <summary>
/// The evaluation and import format: a header <c>path,style[,artist_slug]</c>, then one row per
/// image. Fields may be quoted ("a, b"); blank lines are skipped; a malformed row is an error that
/// names its line, never silently dropped.
/// </summary>
public static class LabelsFile
{
    public const string FileName = "labels.csv";

    public static IReadOnlyList<LabelledImage> Read(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{folder} has no {FileName} (header: path,style[,artist_slug]).", path);
        }

        return Parse(File.ReadLines(path), path);
    }

    public static IReadOnlyList<LabelledImage> Parse(IEnumerable<string> lines, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rows = new List<LabelledImage>();
        var header = true;
        foreach (var record in CsvText.Parse(string.Join('\n', lines)))
        {
            if (record.Error is not null)
            {
                throw new FormatException($"{source}:{record.Line}: {record.Error}.");
            }

            var fields = record.Fields.Select(f => f.Trim()).ToList();
            var line = CsvText.Line(fields);
            if (fields.All(f => f.Length == 0))
            {
                continue;
            }

            if (header)
            {
                header = false;
                if (fields.Count < 2 || !fields[0].Equals("path", StringComparison.OrdinalIgnoreCase) || !fields[1].Equals("style", StringComparison.OrdinalIgnoreCase))
                {
                    throw new FormatException($"{source}:{record.Line}: expected the header path,style[,artist_slug], found \"{line}\".");
                }

                continue;
            }

            if (fields.Count < 2 || fields[0].Length == 0 || fields[1].Length == 0)
            {
                throw new FormatException($"{source}:{record.Line}: expected path,style[,artist_slug], found \"{line}\".");
            }

            if (fields[0].Contains("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(fields[0]))
            {
                throw new FormatException($"{source}:{record.Line}: the path \"{fields[0]}\" must stay inside the folder.");
            }

            rows.Add(new LabelledImage(fields[0], fields[1], fields.Count > 2 && fields[2].Length > 0 ? fields[2] : null));
        }

        if (header)
        {
            throw new FormatException($"{source} is empty (header: path,style[,artist_slug]).");
        }

        return rows;
    }
}
