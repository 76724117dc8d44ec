using System.Text;

namespace ArtGallery.Core.Import;

/// <summary>One CSV record: the line it starts on, its fields, or why it could not be read.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error = null);

/// <summary>
/// RFC 4180 CSV, read record by record so that one malformed record is an error of that record only:
/// a stray quote fails its line; a quote never closed fails the line it opens on and reading goes on
/// from the next line, instead of swallowing the rest of the file into one field. CsvHelper was
/// re-checked at 33.1.0 (it restores here; 34.0.0 dropped CsvConfiguration/BadDataFound): given
/// "a,b\n\"x,1\nc,d\ne,f\n" its CsvParser with BadDataFound returns the whole rest of the file as one
/// field and reports one bad row at the end, so rows c,d and e,f are lost; it reads stray quotes and
/// multi-line quoted fields as this reader does. Measured with a scratch console (CsvParser.Read in a
/// loop, HasHeaderRecord = false). This reader is small and does exactly the reporting we need.
/// </summary>
public static class CsvText
{
    public static List<CsvRecord> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<CsvRecord>();
        var position = 0;
        var line = 1;
        while (position < text.Length)
        {
            var (record, next, nextLine) = ReadRecord(text, position, line);
            if (record.Error is not null || record.Fields.Count > 1 || record.Fields[0].Length > 0)
            {
                records.Add(record);
            }

            position = next;
            line = nextLine;
        }

        return records;
    }

    public static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return string.Empty;
        }

        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field[0] == ' ' || field[^1] == ' '
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
    }

    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Quote));

    private static (CsvRecord Record, int Next, int NextLine) ReadRecord(string text, int start, int line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = start;
        var currentLine = line;
        while (true)
        {
            if (i < text.Length && text[i] == '"')
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }
                    else
                    {
                        currentLine += text[i] == '\n' ? 1 : 0;
                        field.Append(text[i++]);
                    }
                }

                if (!closed)
                {
                    return Malformed(text, start, line, "malformed quoting: a quoted field is never closed");
                }

                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    return Malformed(text, start, line, "malformed quoting: text after a closing quote (write a quote inside a quoted field as \"\")");
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    if (text[i] == '"')
                    {
                        return Malformed(text, start, line, "malformed quoting: a quote inside an unquoted field (quote the whole field and double the quote)");
                    }

                    field.Append(text[i++]);
                }
            }

            fields.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            var next = i < text.Length && text[i] == '\r' ? i + 1 : i;
            next = next < text.Length && text[next] == '\n' ? next + 1 : next;
            return (new CsvRecord(line, fields), next, currentLine + 1);
        }
    }

    /// <summary>A record that cannot be read fails its first line only; reading goes on from the next line.</summary>
    private static (CsvRecord Record, int Next, int NextLine) Malformed(string text, int start, int line, string error)
    {
        var newline = text.IndexOf('\n', start);
        return (new CsvRecord(line, [], error), newline < 0 ? text.Length : newline + 1, line + 1);
    }
}
