using ArtGallery.Core.Export;
using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;
using ArtGallery.Data.Entities;

namespace ArtGallery.UnitTests.Core;

/// <summary>The pure parts of bulk import: CSV records, column names, years, tags, WikiArt names, paths.</summary>
public class ImportParsingTests
{
    [Fact]
    public void CsvText_QuotedCommasNewlinesAndDoubledQuotes_ReadAsOneRecord()
    {
        var records = CsvText.Parse("file,title\r\na.jpg,\"Harbour, \"\"dawn\"\"\nsecond line\"\r\n\r\nb.jpg,Plain\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(["a.jpg", "Harbour, \"dawn\"\nsecond line"], records[1].Fields);
        Assert.Equal(5, records[2].Line);
        Assert.Equal(["b.jpg", "Plain"], records[2].Fields);
    }

    [Fact]
    public void CsvText_AQuoteNeverClosed_FailsItsLineOnlyAndReadingGoesOn()
    {
        var records = CsvText.Parse("file,title\nbad.jpg,\"Never closed\ngood.jpg,Fine\n");

        Assert.Contains("never closed", records[1].Error, StringComparison.Ordinal);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(3, records[2].Line);
        Assert.Equal(["good.jpg", "Fine"], records[2].Fields);
    }

    [Fact]
    public void CsvText_QuoteWrites_RoundTripThroughParse()
    {
        string?[] fields = ["a,b", "say \"hi\"", "two\nlines", " padded ", null, "plain"];

        var parsed = CsvText.Parse(CsvText.Line(fields) + "\n").Single();

        Assert.Equal(fields.Select(f => f ?? string.Empty), parsed.Fields);
    }

    [Theory]
    [InlineData("DC:Title", ImportField.Title)]
    [InlineData("dcterms:creator", ImportField.Artist)]
    [InlineData("dc:date", ImportField.Year)]
    [InlineData("dc:format", ImportField.Medium)]
    [InlineData("dc:subject", ImportField.Tags)]
    [InlineData("dc:rights", ImportField.Licence)]
    [InlineData("dc:source", ImportField.Credit)]
    [InlineData(" Credit Line ", ImportField.Credit)]
    [InlineData("artist_slug", ImportField.Artist)]
    public void ColumnMapping_DublinCoreAndCommonNames_MapToTheirFields(string column, ImportField field) =>
        Assert.Equal(field, new ColumnMapping().FieldOf(column));

    [Fact]
    public void ColumnMapping_UserMapping_OverridesBuiltInNamesAndRejectsUnknownFields()
    {
        var mapping = new ColumnMapping(new Dictionary<string, string> { ["Objekt"] = "title", ["title"] = "ignore" });

        Assert.Equal(ImportField.Title, mapping.FieldOf("objekt"));
        Assert.Equal(ImportField.Ignore, mapping.FieldOf("Title"));
        Assert.Null(mapping.FieldOf("notes"));
        Assert.Throws<ArgumentException>(() => new ColumnMapping(new Dictionary<string, string> { ["x"] = "colour" }));
    }

    [Theory]
    [InlineData("1916", 1916)]
    [InlineData("c. 1916", 1916)]
    [InlineData("circa 1874", 1874)]
    [InlineData("1916-05-01", 1916)]
    [InlineData("1916–1919", 1916)]
    [InlineData("nineteen-ten", null)]
    [InlineData("1916 or so", null)]
    [InlineData("99999", null)]
    public void ParseYear_AcceptsCataloguingForms_AndRefusesTheRest(string value, int? year) =>
        Assert.Equal(year, ColumnMapping.ParseYear(value));

    [Fact]
    public void SplitTags_VocabularyPrefixesChooseTheVocabulary_PlainTagsAreSubjects()
    {
        var tags = ColumnMapping.SplitTags("style:Impressionism; water | genre:Marine; note: not a vocabulary").ToList();

        Assert.Equal(
        [
            (TagVocabulary.Style, "Impressionism"), (TagVocabulary.Subject, "water"), (TagVocabulary.Genre, "Marine"),
            (TagVocabulary.Subject, "note: not a vocabulary"),
        ], tags);
    }

    [Fact]
    public void JoinTags_ReadBackBySplitTags_KeepsNamesWithSeparatorsBackslashesAndColons()
    {
        (TagVocabulary Vocabulary, string Name)[] tags =
        [
            (TagVocabulary.Style, "Post-Impressionism"), (TagVocabulary.Subject, "boats; at dusk"), (TagVocabulary.Mood, "calm|still"),
            (TagVocabulary.Subject, @"AC\DC"), (TagVocabulary.Genre, "note: not a vocabulary"), (TagVocabulary.Free, @"ends with \"),
        ];

        Assert.Equal(tags, ColumnMapping.SplitTags(ColumnMapping.JoinTags(tags)));
    }

    [Fact]
    public void SplitTags_ABackslashBeforeAnyOtherCharacter_IsPartOfTheName() =>
        Assert.Equal([(TagVocabulary.Subject, @"C:\paintings\water"), (TagVocabulary.Subject, "boats")], ColumnMapping.SplitTags(@"C:\paintings\water; boats"));

    [Fact]
    public async Task CsvExport_TagsColumn_ParsesBackIntoTheSameTags()
    {
        (TagVocabulary Vocabulary, string Name)[] tags = [(TagVocabulary.Subject, "boats; at dusk | harbour"), (TagVocabulary.Style, "Cubism")];
        var work = new ExportedWork(1, "Harbour", null, null, null, null, null, null, null, new string('a', 64), "JPEG", 8, 8, tags, []);
        await using var writer = new StringWriter();

        await CollectionExporter.WriteCsvAsync(new CollectionExport(1, "C", "c", null, true, [work]), writer);

        var row = CsvText.Parse(writer.ToString())[1];
        Assert.Equal(tags, ColumnMapping.SplitTags(row.Fields[Array.IndexOf(CollectionExporter.CsvColumns, "tags")]));
    }

    [Fact]
    public void WikiArtName_GivesArtistTitleAndTrailingYear()
    {
        var monet = WikiArtLayout.Parse("claude-monet_water-lilies-1916");
        var untitled = WikiArtLayout.Parse("anonymous-work");

        Assert.Equal(("Water Lilies", "Claude Monet", 1916), (monet.Title, monet.Artist!.Name, monet.Year!.Value));
        Assert.Equal(("Anonymous Work", null, null), (untitled.Title, untitled.Artist, untitled.Year));
    }

    [Theory]
    [InlineData("a.jpg", true)]
    [InlineData("sub/dir/a.jpg", true)]
    [InlineData("../a.jpg", false)]
    [InlineData("sub/../../a.jpg", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("", false)]
    public void ImportPaths_Resolve_NeverLeavesTheRoot(string relative, bool inside)
    {
        var root = Path.Combine(Path.GetTempPath(), "import-root");
        var full = ImportPaths.Resolve(root, relative);

        Assert.Equal(inside, full is not null);
        if (full is not null)
        {
            Assert.StartsWith(root + Path.DirectorySeparatorChar, full, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MetadataRules_OverLongTitleAndControlCharacters_AreRowErrors()
    {
        Assert.Null(MetadataRules.Check(new ArtworkMetadata("Fine")));
        Assert.Contains("title is 501 characters", MetadataRules.Check(new ArtworkMetadata(new string('t', 501))), StringComparison.Ordinal);
        Assert.Contains("control characters", MetadataRules.Check(new ArtworkMetadata("bad\0title")), StringComparison.Ordinal);
    }
}
