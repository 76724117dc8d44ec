using ArtGallery.Engines.Studio.Poetry;

namespace ArtGallery.UnitTests.Poetry;

public sealed class PoemMetricsTests
{
    [Fact]
    public void KneserNey_ProbabilitiesSumToOne_AndSeenContinuationBeatsUnseen()
    {
        var sequences = new[] { new[] { 2, 8, 9, 10, 4 }, [2, 8, 9, 11, 4], [2, 12, 9, 10, 4], [2, 8, 13, 4] };
        var model = KneserNeyModel.Train(sequences, 3, 14);
        int[] history = [8, 9];

        var total = Enumerable.Range(0, 14).Sum(w => Math.Exp(model.LogProbability(history, w)));

        Assert.Equal(1.0, total, 1e-9);
        Assert.True(model.LogProbability(history, 10) > model.LogProbability(history, 12));
        Assert.True(double.IsFinite(model.LogProbability([5, 6], 7)), "unseen history and token still get a probability");
    }

    [Fact]
    public void Distinct2_AndRepeatedLineRate_CountWithinPoems()
    {
        IReadOnlyList<string>[] poems = [["the sea the sea", "The sea, the sea!", "a b"]];

        Assert.Equal(3 / 7.0, PoemMetrics.Distinct2(poems), 1e-9); // bigrams: the-sea, sea-the, a-b
        Assert.Equal(1 / 3.0, PoemMetrics.RepeatedLineRate(poems), 1e-9);
        Assert.Equal(10 / 3.0, PoemMetrics.MeanLineWords(poems), 1e-9);
    }

    [Fact]
    public void KeywordRanks_TextUsingItsOwnKeywords_RanksFirst_TiesCountAgainst()
    {
        IReadOnlyList<string>[] sets = [["moon", "river"], ["fire", "stone"], ["snow", "bird"]];
        IReadOnlyList<string>[] texts = [["The moon on the river"], ["Stone and fire"], ["Nothing here"]];

        var ranks = PoemMetrics.KeywordRanks(texts, sets);

        Assert.Equal([1, 1, 3], ranks);
    }
}
