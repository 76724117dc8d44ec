using ArtGallery.Engines.Studio.Poetry;

namespace ArtGallery.UnitTests.Poetry;

public sealed class PoemTextTests
{
    [Fact]
    public void Tokenize_SameAsTrainingRecipe_LinesStanzasPunctuationApostrophes()
    {
        // Expected list printed by models/training/poem/train.py's tokenize() on the same text.
        var tokens = PoemVocabulary.Tokenize("Thou art mighty,\nBabylon!\n\n\nO'er thy ruins -- owls shall cry;\nGolden-godded 1890 café");

        Assert.Equal(
            ["thou", "art", "mighty", ",", "<nl>", "babylon", "!", "<nl>", "<st>", "o'er", "thy", "ruins", "-", "-", "owls", "shall", "cry", ";", "<nl>", "golden", "-", "godded", "caf", "<nl>"],
            tokens);
    }

    [Fact]
    public void IsHeldOut_SameIdsAsTrainingRecipe()
    {
        // The ids below 200 that train.py's held_out() marks.
        Assert.Equal([2, 22, 48, 60, 75, 84, 111, 136, 153, 179, 188, 193], Enumerable.Range(0, 200).Where(i => PoemMetrics.IsHeldOut(i)));
    }

    [Fact]
    public void ContentWords_DropsStopWordsAndShortWords_KeepsFirstUseOrder()
    {
        Assert.Equal(["night", "stone"], PoemVocabulary.ContentWords(PoemVocabulary.Tokenize("The night and the stone, the night!")));
    }

    [Fact]
    public void Lines_JoinsPunctuationAndHyphens_CapitalisesLinesAndI()
    {
        var lines = PoemText.Lines(["the", "golden", "-", "godded", "sea", ",", "<nl>", "<st>", "i", "know", "i'll", "go", "!", "<nl>"]);

        Assert.Equal(["The golden-godded sea,", string.Empty, "I know I'll go!"], lines);
    }

    [Theory]
    [InlineData("night", "delight", true)]
    [InlineData("stone", "alone", true)]
    [InlineData("day", "away", true)]
    [InlineData("sea", "tree", false)]
    [InlineData("night", "night", false)]
    [InlineData("river", "stone", false)]
    public void Rhymes_BySpellingEnding(string a, string b, bool expected) =>
        Assert.Equal(expected, PoemText.Rhymes(a, b));

    [Fact]
    public void Sample_TopKOne_IsArgmaxOfAllowed_AndMaskIsHard()
    {
        float[] logits = [5f, 4f, 3f, 2f];
        bool[] allowed = [false, true, true, true];

        Assert.Equal(1, PoemSampler.Sample(logits, allowed, 1.0, 1, 1.0, new Random(1)));
        Assert.All(Enumerable.Range(0, 200), s => Assert.NotEqual(0, PoemSampler.Sample(logits, allowed, 2.0, 0, 1.0, new Random(s))));
    }

    [Fact]
    public void Sample_SmallTopP_KeepsOnlyTheLikeliest()
    {
        float[] logits = [0f, 10f, 9.5f, 0f];
        bool[] allowed = [true, true, true, true];

        // p(1) ≈ 0.62 of the mass: a nucleus of 0.5 holds token 1 alone.
        Assert.All(Enumerable.Range(0, 100), s => Assert.Equal(1, PoemSampler.Sample(logits, allowed, 1.0, 0, 0.5, new Random(s))));
    }
}
