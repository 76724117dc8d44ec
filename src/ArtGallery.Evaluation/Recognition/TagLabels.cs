using ArtGallery.Core.Import;

namespace ArtGallery.Evaluation.Recognition;

/// <summary>One labelled image of a tag file: its path (relative to the train or test folder) and its value.</summary>
public sealed record TagRow(string Path, string Tag);

/// <summary>A tag file's rows split between the train and the test folder.</summary>
/// <param name="Binary">Every value is 0 or 1: one tag, present or absent (class "1" is the positive one).</param>
/// <param name="Missing">Labelled paths in neither folder (only when they were allowed).</param>
public sealed record TagSets(string Column, bool Binary, IReadOnlyList<TagRow> Train, IReadOnlyList<TagRow> Test, IReadOnlyList<string> Missing);

/// <summary>
/// The <c>eval tags</c> label file: a header <c>path,&lt;column&gt;[,…]</c>, then one row per image with
/// 0/1 (one tag, present or absent) or a tag name (one of several tags). Every problem is an error
/// that says what to fix; nothing is dropped silently.
/// </summary>
public static class TagLabels
{
    public const string Positive = "1";

    public static (string Column, IReadOnlyList<TagRow> Rows) Parse(string text, string? column, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = CsvText.Parse(text);
        if (records.Count == 0)
        {
            throw new FormatException($"{source} is empty (header: path,<column>).");
        }

        foreach (var bad in records.Where(r => r.Error is not null).Take(1))
        {
            throw new FormatException($"{source}:{bad.Line}: {bad.Error}.");
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        if (header.Count < 2 || !header[0].Equals("path", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"{source}:{records[0].Line}: expected the header path,<column>[,…], found \"{CsvText.Line(header)}\".");
        }

        var columns = header.Skip(1).ToList();
        int index;
        if (column is null)
        {
            if (columns.Count > 1)
            {
                throw new FormatException($"{source} has several columns ({string.Join(", ", columns)}): choose one with --column.");
            }

            index = 1;
        }
        else
        {
            index = header.FindIndex(1, h => h.Equals(column, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                throw new FormatException($"{source} has no column \"{column}\" (its columns: {string.Join(", ", columns)}).");
            }
        }

        var rows = new List<TagRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            var fields = record.Fields.Select(f => f.Trim()).ToList();
            if (fields.All(f => f.Length == 0))
            {
                continue;
            }

            if (fields.Count <= index || fields[0].Length == 0 || fields[index].Length == 0)
            {
                throw new FormatException($"{source}:{record.Line}: expected a path and a value in column \"{header[index]}\", found \"{CsvText.Line(fields)}\".");
            }

            if (fields[0].Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(fields[0]))
            {
                throw new FormatException($"{source}:{record.Line}: the path \"{fields[0]}\" must be relative to --train or --test.");
            }

            if (!seen.Add(fields[0]))
            {
                throw new FormatException($"{source}:{record.Line}: \"{fields[0]}\" is labelled twice.");
            }

            rows.Add(new TagRow(fields[0], fields[index]));
        }

        if (rows.Count == 0)
        {
            throw new FormatException($"{source} labels no images.");
        }

        return (header[index], rows);
    }

    /// <summary>
    /// Puts each row in the folder that holds its image (<paramref name="exists"/> answers for a full
    /// path). An image in both folders is an error (the test would score works the head trained on);
    /// one in neither is an error unless <paramref name="allowMissing"/>.
    /// </summary>
    public static TagSets Assign(string column, IReadOnlyList<TagRow> rows, string trainFolder, string testFolder, Func<string, bool> exists, bool allowMissing = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(exists);
        var train = new List<TagRow>();
        var test = new List<TagRow>();
        var missing = new List<string>();
        var both = new List<string>();
        foreach (var row in rows)
        {
            var (inTrain, inTest) = (exists(Path.Combine(trainFolder, row.Path)), exists(Path.Combine(testFolder, row.Path)));
            if (inTrain && inTest)
            {
                both.Add(row.Path);
            }
            else if (inTrain)
            {
                train.Add(row);
            }
            else if (inTest)
            {
                test.Add(row);
            }
            else
            {
                missing.Add(row.Path);
            }
        }

        if (both.Count > 0)
        {
            throw new InvalidDataException($"{both.Count} labelled images are in both --train and --test (e.g. {Examples(both)}): the test would score works the head trained on.");
        }

        if (missing.Count > 0 && !allowMissing)
        {
            throw new InvalidDataException($"{missing.Count} of {rows.Count} labelled images are in neither --train nor --test (e.g. {Examples(missing)}); fix the paths, or pass --skip-missing to leave them out.");
        }

        var binary = rows.All(r => r.Tag is "0" or Positive);
        foreach (var (name, part) in new[] { ("--train", train), ("--test", test) })
        {
            var classes = part.Select(r => r.Tag).Distinct(StringComparer.Ordinal).ToList();
            if (part.Count == 0)
            {
                throw new InvalidDataException($"no labelled image is in {name}.");
            }

            // A test set of one class still scores top-1 for several tags, but AUC and AP need both classes.
            if (classes.Count < 2 && (name == "--train" || binary))
            {
                throw new InvalidDataException($"every labelled image in {name} is \"{classes[0]}\": {(binary ? "AUC and AP need" : "training needs")} works of at least two classes.");
            }
        }

        return new TagSets(column, binary, train, test, missing);
    }

    private static string Examples(List<string> paths) => string.Join(", ", paths.Take(3));
}
