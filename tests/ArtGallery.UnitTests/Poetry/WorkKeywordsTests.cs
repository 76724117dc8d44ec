using ArtGallery.Core.Studio.Poetry;

namespace ArtGallery.UnitTests.Poetry;

public sealed class WorkKeywordsTests
{
    [Fact]
    public void From_TitleThenTagsThenStyleThenColours_ContentWordsOnly()
    {
        var keywords = WorkKeywords.From("The Harbour at Dusk", "InkWash", ["boats", "calm"], ["#1b2fc4", "#f2f1ea"]);

        Assert.Equal(
            [new("harbour", "title"), new("dusk", "title"), new("boats", "tag"), new("calm", "tag"), new("mist", "style"), new("blue", "colour")],
            keywords);
    }

    [Fact]
    public void From_StopWordsDuplicatesAndBadColours_Dropped_AtMostSix()
    {
        var keywords = WorkKeywords.From("A Tree, a tree and the TREE", null, ["tree"], ["not-a-colour", "#ff0000"]);

        Assert.Equal([new("tree", "title"), new("red", "colour")], keywords);
        Assert.True(WorkKeywords.From("alpha beta gamma delta epsilon zeta theta iota", "Swirl", [], []).Count <= WorkKeywords.MaxKeywords);
    }

    [Theory]
    [InlineData("#c81e1e", "red")]
    [InlineData("#101014", "black")]
    [InlineData("#6eaae6", "azure")]
    [InlineData("#808080", "grey")]
    public void ColourName_NearestNamedColour(string hex, string expected) =>
        Assert.Equal(expected, WorkKeywords.ColourName(hex));

    [Fact]
    public void Highlight_MarksKeywordsAndPlurals_KeepsTheRestVerbatim()
    {
        var spans = PoemStudioService.Highlight("The Harbour holds its boats, at dusk.", ["harbour", "boat", "dusk"]);

        Assert.Equal(
            [new("The ", false), new("Harbour", true), new(" holds its ", false), new("boats", true), new(", at ", false), new("dusk", true), new(".", false)],
            spans);
        Assert.Equal("The Harbour holds its boats, at dusk.", string.Concat(spans.Select(s => s.Text)));
    }
}
