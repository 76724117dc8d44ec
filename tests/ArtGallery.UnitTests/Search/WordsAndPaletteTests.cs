using ArtGallery.Core.Search;
using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArtGallery.UnitTests.Search;

public sealed class WordsAndPaletteTests
{
    private static readonly string[] TinyVocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "storm", "##y", "sea", "at", "night", ",", "cafe"];

    [Fact]
    public void BasicTokens_LowercasesStripsAccentsAndSplitsPunctuation()
    {
        Assert.Equal(["stormy", "sea", ",", "cafe", "!"], WordPieceTokenizer.BasicTokens("Stormy SEA, Café!"));
    }

    [Fact]
    public void Encode_SplitsIntoLongestPiecesBetweenClsAndSep_UnknownWordsBecomeUnk()
    {
        var tokenizer = new WordPieceTokenizer(TinyVocabulary);
        Assert.Equal([2L, 4, 5, 6, 7, 8, 1, 3], tokenizer.Encode("Stormy sea at night zebra", 32));
        Assert.Equal(["storm", "##y", "sea"], tokenizer.Tokenize("stormy sea"));
    }

    [Fact]
    public void Encode_CutsLongTextAndStillEndsWithSep()
    {
        var tokenizer = new WordPieceTokenizer(TinyVocabulary);
        Assert.Equal([2L, 6, 6, 3], tokenizer.Encode("sea sea sea sea", 4));
    }

    [Fact]
    public void Fuse_AWorkInBothRankingsBeatsOneAtTheTopOfOnlyOne()
    {
        var fused = WordSearchService.Fuse([(1, 0.9), (2, 0.8), (3, 0.7)], [3, 4], count: 10);
        Assert.Equal(3, fused[0].Id);
        Assert.Equal((1.0 / 63) + (1.0 / 61), fused[0].Score, 12);
        Assert.Equal(3, fused[0].MeaningRank);
        Assert.Equal(1, fused[0].WordsRank);
        Assert.Equal([3, 1, 2, 4], fused.Select(f => f.Id)); // 2 and 4 tie at 1/62: the lower id first
    }

    [Fact]
    public void TsQuery_KeepsOnlyLettersAndDigits_OrsTheWords()
    {
        Assert.Equal("stormy | sea | night", WordSearchService.TsQuery("A stormy sea, at night!"));
        Assert.Equal("x | drop | table", WordSearchService.TsQuery("x'); drop table --"));
        Assert.Null(WordSearchService.TsQuery(" of the ... "));
    }

    [Fact]
    public void ColourSpace_WhiteAndBlackHaveTheirLightness_NamesAreNearest()
    {
        Assert.Equal(100, ColourSpace.FromHex("#ffffff").L, 1);
        Assert.Equal(0, ColourSpace.FromHex("#000000").L, 1);
        Assert.Equal("red", ColourSpace.NameOf(ColourSpace.FromHex("#d01020")));
        Assert.Equal("navy", ColourSpace.NameOf(ColourSpace.FromHex("#182050")));
        Assert.Equal(["red", "blue"], ColourSpace.NamesOf(["#c8102e", "#c0112f", "#2a5db0", "not a colour"]));
    }

    [Fact]
    public void PaletteHistogram_ANearShadeScoresHigherThanADifferentHue()
    {
        static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
        var query = PaletteHistogram.FromPicked(["#c8102e", "#2a5db0"]);
        var same = PaletteHistogram.FromPalette(["#c01530", "#3060b0", "#f0f0f0"]);
        var oneOfTwo = PaletteHistogram.FromPalette(["#c01530", "#40a040", "#f0f0f0"]);
        var neither = PaletteHistogram.FromPalette(["#40a040", "#f4d03f", "#f0f0f0"]);
        Assert.Equal(245, query.Length);
        Assert.Equal(1, Math.Sqrt(query.Sum(v => (double)v * v)), 5);
        Assert.True(Cosine(query, same) > Cosine(query, oneOfTwo));
        Assert.True(Cosine(query, oneOfTwo) > Cosine(query, neither));
    }

    [Fact]
    public void Ndcg_IdealRankingIsOne_ReversedIsLess()
    {
        var gains = new Dictionary<int, int> { [1] = 2, [2] = 1, [3] = 0, [4] = 0 };
        Assert.Equal(1, TextSearchEvaluation.Ndcg([1, 2, 3], gains), 12);
        Assert.True(TextSearchEvaluation.Ndcg([3, 2, 1], gains) < 0.7);
        Assert.Equal((42, 7), TextSearchEvaluation.ParseDemoSource("demo:42/7"));
        Assert.Null(TextSearchEvaluation.ParseDemoSource("/photos/a.jpg"));
    }

    [Fact]
    public void Gain_CountsTheSubjectAndTheTitlesQualifier()
    {
        var query = new TextSearchQuery("boats on the ocean after dark", DemoSubject.Seascape, "at Night");
        Assert.Equal(2, query.Gain(DemoSubject.Seascape, "Breakers at Night"));
        Assert.Equal(1, query.Gain(DemoSubject.Seascape, "Breakers at Noon"));
        Assert.Equal(1, query.Gain(DemoSubject.Cityscape, "Towers at Night"));
        Assert.Equal(0, query.Gain(DemoSubject.Tree, "Willow in Red"));
    }

    [Fact]
    public void TextEncoder_PackagedMiniLm_PutsParaphrasesCloserThanUnrelatedText()
    {
        using var encoder = new TextEncoder(Options.Create(new EngineOptions { ExecutionProvider = ExecutionProviderPreference.Cpu, IntraOpThreads = 1 }), NullLogger<TextEncoder>.Instance);
        Assert.True(encoder.IsAvailable, encoder.UnavailableReason);
        var v = encoder.Encode(["a stormy sea at night", "waves on the ocean after dark", "a bowl of pears on a table"]);
        static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
        Assert.Equal(384, v[0].Length);
        Assert.Equal(1, Math.Sqrt(v[0].Sum(x => (double)x * x)), 4);

        // all-MiniLM-L6-v2 puts paraphrases around 0.5–0.7 and unrelated sentences near 0–0.2; a
        // margin of 0.2 holds for any sound tokenizer and pooling, and fails for a broken one.
        Assert.True(Cosine(v[0], v[1]) > Cosine(v[0], v[2]) + 0.2, $"{Cosine(v[0], v[1]):0.000} vs {Cosine(v[0], v[2]):0.000}");
    }
}
