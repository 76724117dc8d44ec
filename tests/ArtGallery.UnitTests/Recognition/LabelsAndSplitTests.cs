using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recognition;
using ArtGallery.Evaluation.Recognition;

namespace ArtGallery.UnitTests.Recognition;

public class LabelsAndSplitTests
{
    [Fact]
    public void Parse_ReadsQuotedFieldsAndOptionalArtist()
    {
        var rows = LabelsFile.Parse(["path,style,artist_slug", "a/x.jpg,Cubism,pablo-picasso", "\"b/y, z.jpg\",Rococo,", "", "c.png,Pop_Art"]);

        Assert.Equal(3, rows.Count);
        Assert.Equal(new LabelledImage("b/y, z.jpg", "Rococo", null), rows[1]);
        Assert.Equal("pablo-picasso", rows[0].Artist);
    }

    [Theory]
    [InlineData("file,label")]
    [InlineData("path,style\nonly-a-path.jpg")]
    [InlineData("path,style\n../outside.jpg,Cubism")]
    [InlineData("path,style\n\"unterminated.jpg,Cubism")]
    [InlineData("")]
    public void Parse_MalformedFile_ThrowsWithTheLine(string text)
    {
        var ex = Assert.Throws<FormatException>(() => LabelsFile.Parse(text.Split('\n')));
        Assert.Contains("labels.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_NoArtistOnBothSides_AndEveryStyleInTest()
    {
        var rows = Enumerable.Range(0, 300)
            .Select(i => new LabelledImage($"{i}.jpg", $"style-{i % 6}", $"artist-{i % 6}-{i / 6 % 8}"))
            .ToList();

        var (train, test) = ArtistSplit.Split(rows, 0.3, seed: 1);

        Assert.Equal(rows.Count, train.Count + test.Count);
        Assert.Empty(train.Select(r => r.Artist).Intersect(test.Select(r => r.Artist)));
        Assert.Equal(6, test.Select(r => r.Style).Distinct().Count());
        Assert.InRange(test.Count, 60, 120);
    }

    [Fact]
    public void Folds_EveryRowInOneFold_NoArtistInTwoFolds_EveryStyleInEveryFold()
    {
        var rows = Enumerable.Range(0, 300)
            .Select(i => new LabelledImage($"{i}.jpg", $"style-{i % 6}", $"artist-{i % 6}-{i / 6 % 8}"))
            .ToList();

        var fold = ArtistSplit.Folds(rows, folds: 4, seed: 3);

        Assert.All(fold, f => Assert.InRange(f, 0, 3));
        Assert.All(rows.Select((r, i) => (r.Artist, Fold: fold[i])).GroupBy(p => p.Artist), g => Assert.Single(g.Select(p => p.Fold).Distinct()));
        Assert.All(Enumerable.Range(0, 4), f => Assert.Equal(6, rows.Where((_, i) => fold[i] == f).Select(r => r.Style).Distinct().Count()));
    }
}
