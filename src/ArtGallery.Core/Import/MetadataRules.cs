using ArtGallery.Core.Ingestion;

namespace ArtGallery.Core.Import;

/// <summary>
/// The column limits of the database (the entities' <c>…MaxLength</c>), checked per row before ingesting:
/// one over-long title must fail its own row, not the whole batch's transaction.
/// </summary>
public static class MetadataRules
{
    /// <summary>The description's column has no length; the import sets this one.</summary>
    public const int MaxDescription = 20_000;

    /// <summary>The reason the metadata cannot be stored, or null.</summary>
    public static string? Check(ArtworkMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Length("title", metadata.Title, Artwork.TitleMaxLength)
            ?? Length("artist", metadata.Artist?.Name, Artist.NameMaxLength)
            ?? Length("medium", metadata.Medium, Artwork.MediumMaxLength)
            ?? Length("dimensions", metadata.Dimensions, Artwork.DimensionsMaxLength)
            ?? Length("credit", metadata.Credit, Artwork.CreditMaxLength)
            ?? Length("licence", metadata.Licence, Artwork.LicenceMaxLength)
            ?? Length("description", metadata.Description, MaxDescription)
            ?? metadata.Tags.Select(t => Length("tag", t.Name, Tag.NameMaxLength)).FirstOrDefault(r => r is not null)
            ?? (metadata.Title.Trim().Length == 0 ? "the title is empty" : null)
            ?? (ContainsControl(metadata) ? "the text holds control characters (NUL or similar); is the file binary?" : null)
            ?? (Texts(metadata).All(IsValidUnicode) ? null : "the text is not valid Unicode (a lone surrogate, e.g. a broken \\uD800 escape)");
    }

    /// <summary>False for strings with unpaired surrogates, which PostgreSQL cannot store as UTF-8.</summary>
    public static bool IsValidUnicode(string? text)
    {
        var span = (text ?? string.Empty).AsSpan();
        while (!span.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(span, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            span = span[consumed..];
        }

        return true;
    }

    private static IEnumerable<string?> Texts(ArtworkMetadata m) =>
        [m.Title, m.Artist?.Name, m.Medium, m.Dimensions, m.Description, m.Credit, m.Licence, m.Source, .. m.Tags.Select(t => t.Name)];

    /// <summary>The source as stored: the database keeps 2,000 characters of it.</summary>
    public static string Source(string source) => source.Length <= Artwork.SourceMaxLength ? source : source[..(Artwork.SourceMaxLength - 1)] + "…";

    private static string? Length(string field, string? value, int max) =>
        value is { Length: var n } && n > max ? $"the {field} is {n} characters long; the limit is {max}" : null;

    private static bool ContainsControl(ArtworkMetadata m) =>
        new[] { m.Title, m.Artist?.Name, m.Medium, m.Dimensions, m.Credit, m.Licence }
            .Any(v => v is not null && v.Any(c => char.IsControl(c) && c is not '\t'));
}
