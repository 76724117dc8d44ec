using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.Core.Import;

/// <summary>The artwork fields a CSV column or IIIF metadata label can fill.</summary>
public enum ImportField
{
    Ignore,
    File,
    Title,
    Artist,
    Year,
    Medium,
    Dimensions,
    Description,
    Tags,
    Style,
    Credit,
    Licence,
}

/// <summary>
/// Column names → fields: our own names, Dublin Core (dc:/dcterms:) names and a few common
/// spellings, with a user-supplied mapping taking precedence.
/// </summary>
public sealed partial class ColumnMapping
{
    private static readonly Dictionary<string, ImportField> BuiltIn = new(StringComparer.Ordinal)
    {
        ["file"] = ImportField.File, ["filename"] = ImportField.File, ["path"] = ImportField.File, ["image"] = ImportField.File,
        ["dc:identifier"] = ImportField.File, ["identifier"] = ImportField.File,
        ["title"] = ImportField.Title, ["dc:title"] = ImportField.Title, ["name"] = ImportField.Title,
        ["artist"] = ImportField.Artist, ["creator"] = ImportField.Artist, ["dc:creator"] = ImportField.Artist, ["artist_slug"] = ImportField.Artist,
        ["year"] = ImportField.Year, ["date"] = ImportField.Year, ["dc:date"] = ImportField.Year, ["dc:created"] = ImportField.Year, ["created"] = ImportField.Year,
        ["medium"] = ImportField.Medium, ["dc:format"] = ImportField.Medium, ["dc:medium"] = ImportField.Medium, ["format"] = ImportField.Medium,
        ["dimensions"] = ImportField.Dimensions, ["dc:extent"] = ImportField.Dimensions, ["extent"] = ImportField.Dimensions,
        ["description"] = ImportField.Description, ["dc:description"] = ImportField.Description,
        ["tags"] = ImportField.Tags, ["subject"] = ImportField.Tags, ["dc:subject"] = ImportField.Tags, ["keywords"] = ImportField.Tags,
        ["style"] = ImportField.Style, ["movement"] = ImportField.Style,
        ["credit"] = ImportField.Credit, ["credit line"] = ImportField.Credit, ["dc:source"] = ImportField.Credit, ["source"] = ImportField.Credit,
        ["attribution"] = ImportField.Credit,
        ["licence"] = ImportField.Licence, ["license"] = ImportField.Licence, ["rights"] = ImportField.Licence, ["dc:rights"] = ImportField.Licence,
        ["dc:license"] = ImportField.Licence,
    };

    private readonly Dictionary<string, ImportField> _overrides = new(StringComparer.Ordinal);

    /// <param name="overrides">Column → field name ("title", "tags", "ignore", …), e.g. from <c>--map Objekt=title</c>.</param>
    public ColumnMapping(IReadOnlyDictionary<string, string>? overrides = null)
    {
        foreach (var (column, field) in overrides ?? new Dictionary<string, string>())
        {
            if (!Enum.TryParse<ImportField>(field.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                throw new ArgumentException(
                    $"--map {column}={field}: unknown field \"{field}\"; use one of {string.Join(", ", Enum.GetNames<ImportField>().Select(n => n.ToLowerInvariant()))}.");
            }

            _overrides[Normalise(column)] = parsed;
        }
    }

    /// <summary>The field a column fills, or null for an unknown column.</summary>
    public ImportField? FieldOf(string column)
    {
        var key = Normalise(column);
        return _overrides.TryGetValue(key, out var field) ? field : BuiltIn.TryGetValue(key, out field) ? field : null;
    }

    /// <summary>Case, spacing and the dcterms: prefix do not matter: "DC:Title", "dcterms:title" and "dc:title" are one column.</summary>
    public static string Normalise(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var key = column.Trim().Trim('\uFEFF').ToLowerInvariant().Replace('_', ' ');
        key = key.StartsWith("dcterms:", StringComparison.Ordinal) ? "dc:" + key["dcterms:".Length..] : key;
        return key == "artist slug" ? "artist_slug" : key;
    }

    /// <summary>
    /// Fills metadata from (field, value) pairs; returns the reason the row cannot be imported, or null.
    /// </summary>
    public static string? Apply(ref ArtworkMetadata metadata, ImportField field, string value)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        value = value.Trim();
        if (value.Length == 0 || field is ImportField.Ignore or ImportField.File)
        {
            return null;
        }

        if (field == ImportField.Year)
        {
            if (ParseYear(value) is not { } year)
            {
                return $"the year \"{value}\" is not a year (expected e.g. 1916, c. 1916, 1916-05-01 or 1916–1919)";
            }

            metadata = metadata with { Year = year };
            return null;
        }

        metadata = field switch
        {
            ImportField.Title => metadata with { Title = value },
            ImportField.Artist => metadata with { Artist = new ArtistInfo(LooksLikeSlug(value) ? TitleCase(value) : value) },
            ImportField.Medium => metadata with { Medium = value },
            ImportField.Dimensions => metadata with { Dimensions = value },
            ImportField.Description => metadata with { Description = value },
            ImportField.Credit => metadata with { Credit = value },
            ImportField.Licence => metadata with { Licence = value },
            ImportField.Style => metadata with { Tags = [.. metadata.Tags, .. SplitTags(value).Select(t => (TagVocabulary.Style, t.Name))] },
            ImportField.Tags => metadata with { Tags = [.. metadata.Tags, .. SplitTags(value)] },
            _ => metadata,
        };

        return null;
    }

    /// <summary>
    /// "style:Impressionism; water | boats" → (Style, Impressionism), (Subject, water), (Subject, boats):
    /// a vocabulary prefix keeps exported tags in their vocabulary; plain tags are subjects (dc:subject).
    /// A backslash keeps the next ';', '|' or '\' in the name (<see cref="JoinTags"/> writes them so);
    /// any other backslash is part of the name.
    /// </summary>
    public static IEnumerable<(TagVocabulary Vocabulary, string Name)> SplitTags(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var raw in SplitUnescaped(value).Select(part => part.Trim()).Where(part => part.Length > 0))
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && Enum.TryParse<TagVocabulary>(raw[..colon], ignoreCase: true, out var vocabulary) && colon < raw.Length - 1)
            {
                yield return (vocabulary, raw[(colon + 1)..].Trim());
            }
            else
            {
                yield return (TagVocabulary.Subject, raw);
            }
        }
    }

    /// <summary>
    /// The tags column as an export writes it, read back by <see cref="SplitTags"/> into the same tags:
    /// "vocabulary:name" joined by "; ", with ';', '|' and '\' in a name escaped by a backslash.
    /// </summary>
    public static string JoinTags(IEnumerable<(TagVocabulary Vocabulary, string Name)> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return string.Join("; ", tags.Select(t => $"{t.Vocabulary.ToString().ToLowerInvariant()}:{Escape(t.Name)}"));

        static string Escape(string name) => name.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace(";", @"\;", StringComparison.Ordinal).Replace("|", @"\|", StringComparison.Ordinal);
    }

    private static IEnumerable<string> SplitUnescaped(string value)
    {
        var part = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is ';' or '|' or '\\')
            {
                part.Append(value[++i]);
            }
            else if (value[i] is ';' or '|')
            {
                yield return part.ToString();
                part.Clear();
            }
            else
            {
                part.Append(value[i]);
            }
        }

        yield return part.ToString();
    }

    /// <summary>A year from "1916", "c. 1916", "ca 1916", "1916-05-01", "1916–1919" (the first year), or null.</summary>
    public static int? ParseYear(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = YearPattern().Match(value.Trim());
        if (!match.Success)
        {
            return null;
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        return year is >= 1 and <= 2200 ? year : null;
    }

    public static bool LooksLikeSlug(string value) =>
        value.Length > 0 && !value.Contains(' ', StringComparison.Ordinal) && value.Contains('-', StringComparison.Ordinal) && !value.Any(char.IsUpper);

    public static string TitleCase(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }

    [GeneratedRegex(@"^(?:(?:c\.?|ca\.?|circa)\s*)?(?<year>\d{1,4})(?:\s*[-–/]\s*\d{1,4}(?:[-–/]\d{1,2})?)?(?:T.*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex YearPattern();
}
