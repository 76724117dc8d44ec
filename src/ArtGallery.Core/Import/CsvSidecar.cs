using System.Text;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.Core.Import;

/// <summary>
/// Reads a CSV sidecar into planned rows. Problems of one row (bad quoting, wrong field count,
/// invalid UTF-8, a missing image, a bad year) fail that row only; problems of the file (empty, no
/// header naming the image column) fail the file with one clear row.
/// </summary>
public static class CsvSidecar
{
    /// <summary>Planned rows for the CSV at <paramref name="csvPath"/>, images relative to <paramref name="root"/>.</summary>
    public static List<PlannedRow> Plan(string csvPath, string root, ColumnMapping mapping, long maxBytes, ISet<string> referenced)
    {
        ArgumentNullException.ThrowIfNull(csvPath);
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(referenced);
        var name = Path.GetFileName(csvPath);
        var length = new FileInfo(csvPath).Length;
        if (length > maxBytes)
        {
            return [PlannedRow.Fail(name, $"the CSV is {length / (1024 * 1024)} MiB; the limit is {maxBytes / (1024 * 1024)} MiB")];
        }

        // Invalid UTF-8 becomes U+FFFD here and fails only the rows it appears in.
        var text = new UTF8Encoding(false, false).GetString(File.ReadAllBytes(csvPath)).TrimStart('\uFEFF');
        if (text.Trim().Length == 0)
        {
            return [PlannedRow.Fail(name, "the CSV is empty; expected a header row (e.g. file,title,artist,year) and one row per image")];
        }

        var rows = new List<PlannedRow>();
        var records = CsvText.Parse(text);
        if (records.Count == 0 || records[0].Error is not null)
        {
            return [PlannedRow.Fail(name, records.Count == 0 ? "the CSV has no rows" : $"the header row cannot be read: {records[0].Error}")];
        }

        var header = records[0].Fields.Select(h => h.Trim()).ToArray();
        var fields = header.Select(h => mapping.FieldOf(h)).ToArray();
        var fileColumn = Array.IndexOf(fields, ImportField.File);
        if (fileColumn < 0)
        {
            return [PlannedRow.Fail(name,
                $"the first row ({string.Join(",", header.Take(6))}) is not a header naming the image column " +
                "(file, path, image, filename or dc:identifier); add a header row or map a column with --map COLUMN=file. Nothing was imported.")];
        }

        var unknown = header.Where((h, i) => fields[i] is null && h.Length > 0).ToList();
        if (unknown.Count > 0)
        {
            rows.Add(PlannedRow.Skip($"{name}:{records[0].Line}",
                $"unknown column(s) {string.Join(", ", unknown.Select(u => $"\"{u}\""))} ignored; map them with --map COLUMN=FIELD"));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var csvRecord in records.Skip(1))
        {
            var line = csvRecord.Line;
            var source = $"{name}:{line}";
            var record = csvRecord.Fields;
            if (csvRecord.Error is not null)
            {
                rows.Add(PlannedRow.Fail(source, csvRecord.Error));
                continue;
            }

            if (record.Count != header.Length)
            {
                rows.Add(PlannedRow.Fail(source, $"the row has {record.Count} fields; the header has {header.Length}"));
                continue;
            }

            if (record.Any(f => f.Contains('\uFFFD', StringComparison.Ordinal)))
            {
                rows.Add(PlannedRow.Fail(source, "the row is not valid UTF-8 text; save the CSV as UTF-8"));
                continue;
            }

            var file = record[fileColumn].Trim().Replace('\\', '/');
            source = file.Length == 0 ? source : MetadataRules.Source($"{source} {file}");
            if (file.Length == 0)
            {
                rows.Add(PlannedRow.Fail(source, $"no image named in column \"{header[fileColumn]}\""));
                continue;
            }

            if (ImportPaths.Resolve(root, file) is not { } full)
            {
                rows.Add(PlannedRow.Fail(source, $"the image path \"{file}\" leaves the import folder"));
                continue;
            }

            if (seen.TryGetValue(full, out var firstLine))
            {
                rows.Add(PlannedRow.Skip(source, $"duplicate row: {file} is already listed on line {firstLine}"));
                continue;
            }

            seen[full] = line;
            if (!File.Exists(full))
            {
                rows.Add(PlannedRow.Fail(source, $"no image file \"{file}\" beside the CSV"));
                continue;
            }

            referenced.Add(full);
            var metadata = new ArtworkMetadata(ImportPaths.TitleFromFileName(file)) { Source = source };
            string? error = null;
            for (var i = 0; i < record.Count && error is null; i++)
            {
                if (fields[i] is { } field)
                {
                    error = ColumnMapping.Apply(ref metadata, field, record[i]);
                }
            }

            error ??= MetadataRules.Check(metadata);
            rows.Add(error is null ? new PlannedRow(source) { File = full, Metadata = metadata } : PlannedRow.Fail(source, error));
        }

        return rows;
    }
}
