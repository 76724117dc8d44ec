using System.Text.Json;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.Poetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArtGallery.UnitTests.Poetry;

public sealed class PoemGeneratorTests : IDisposable
{
    private readonly PoemGenerator _generator = new(
        Options.Create(new EngineOptions { ExecutionProvider = ExecutionProviderPreference.Cpu, IntraOpThreads = 1 }),
        NullLogger<PoemGenerator>.Instance);

    public void Dispose() => _generator.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Onnx_MatchesPyTorchFixture_WholeSequenceAndStepByStep(bool oneStepAtATime)
    {
        Assert.True(_generator.IsAvailable, _generator.UnavailableReason);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Poetry", "Fixtures", "poem-parity.json")));
        var root = json.RootElement;
        var tokens = root.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var keywords = root.GetProperty("keywords").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var vocab = root.GetProperty("vocab").GetInt32();
        var head = root.GetProperty("logits_head").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        var argmax = root.GetProperty("argmax").EnumerateArray().Select(v => v.GetInt32()).ToList();
        var expectedH = root.GetProperty("h_out").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var expectedC = root.GetProperty("c_out").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        var (logits, h, c) = _generator.RunSteps(tokens, keywords, oneStepAtATime);

        // Fixture values are rounded to 5-6 decimals; float32 LSTM and 8k-wide matrix products in
        // PyTorch and ONNX Runtime differ by accumulation order (~1e-5 on logits of size ~10);
        // 2e-3 leaves margin and is far below what changes a sampled token. Argmax must agree exactly.
        Assert.Equal(vocab, _generator.Vocabulary.Count);
        Assert.Equal(tokens.Count * vocab, logits.Length);
        for (var t = 0; t < tokens.Count; t++)
        {
            var row = logits.AsSpan(t * vocab, vocab).ToArray();
            Assert.All(head[t].Select((v, i) => (v, i)), p => Assert.Equal(p.v, row[p.i], 2e-3f));
            Assert.Equal(argmax[t], Array.IndexOf(row, row.Max()));
        }

        Assert.All(expectedH.Zip(h), p => Assert.Equal(p.First, p.Second, 1e-4f));
        Assert.All(expectedC.Zip(c), p => Assert.Equal(p.First, p.Second, 1e-4f));
    }

    [Theory]
    [InlineData("sea")]
    [InlineData("night")]
    [InlineData("rose")]
    public void KeywordInput_RaisesTheKeywordsOwnProbability_WithTheSamePrefix(string word)
    {
        // The model itself is steered by its keyword input (no decoding boost here): the same prefix, with
        // the keyword beside every step, makes that word likelier in the first line than with no keywords.
        Assert.True(_generator.ReadsKeywordInput);
        var id = _generator.Vocabulary.Id(word);
        int[] ids = [.. PoemGenerator.Prefix([id]), id];

        var without = _generator.TokenLogProbabilities(ids)[^1];
        var with = _generator.TokenLogProbabilities(ids, [id])[^1];

        Assert.True(with > without + 0.5, $"log p({word}) with its keyword input {with:0.00}, without {without:0.00}");
    }

    [Fact]
    public void Write_SameSeed_SamePoem_DifferentSeed_Differs()
    {
        var request = new PoemRequest { Keywords = ["sea", "night"], Lines = 6, Seed = 5 };

        Assert.Equal(_generator.Write(request).Text, _generator.Write(request).Text);
        Assert.NotEqual(_generator.Write(request).Text, _generator.Write(request with { Seed = 6 }).Text);
    }

    [Theory]
    [InlineData(PoemForm.FreeVerse, 12, 3, 12)]
    [InlineData(PoemForm.Tercets, 9, 2, 7)]
    [InlineData(PoemForm.RhymedQuatrains, 8, 4, 10)]
    public void Write_KeepsLineCountAndLineLengths(PoemForm form, int lines, int minWords, int maxWords)
    {
        var poem = _generator.Write(new PoemRequest { Keywords = ["autumn", "leaves"], Form = form, Lines = lines, Seed = 2 });

        Assert.Equal(lines, poem.VerseLineCount);
        Assert.All(poem.Lines.Where(l => l.Length > 0), l =>
        {
            var words = PoemVocabulary.Tokenize(l).Count(t => char.IsAsciiLetterLower(t[0]));
            Assert.InRange(words, minWords, maxWords);
        });
    }

    [Fact]
    public void Write_Quatrains_StanzasOfFour_ThirdAndFourthLinesRhymeBySpelling()
    {
        var poem = _generator.Write(new PoemRequest { Keywords = ["rose", "garden"], Form = PoemForm.RhymedQuatrains, Lines = 8, Seed = 3 });

        var stanzas = string.Join('\n', poem.Lines).Split("\n\n");
        Assert.Equal(2, stanzas.Length);
        foreach (var stanza in stanzas.Select(s => s.Split('\n')))
        {
            Assert.Equal(4, stanza.Length);
            var ends = stanza.Select(l => PoemVocabulary.Tokenize(l).Last(t => char.IsAsciiLetterLower(t[0]))).ToArray();
            Assert.True(PoemText.Rhymes(ends[0], ends[2]), $"{ends[0]} / {ends[2]}");
            Assert.True(PoemText.Rhymes(ends[1], ends[3]), $"{ends[1]} / {ends[3]}");
        }
    }

    [Fact]
    public void Write_UnknownKeywordsDropped_BadSettingsThrowWithReason()
    {
        var poem = _generator.Write(new PoemRequest { Keywords = ["sea", "zzqxv"], Lines = 2 });

        Assert.Equal(["sea"], poem.UsedKeywords);
        var ex = Assert.Throws<ArgumentException>(() => _generator.Write(new PoemRequest { Lines = 500, Temperature = 9 }));
        Assert.Contains("lines", ex.Message, StringComparison.Ordinal);
        Assert.Contains("temperature", ex.Message, StringComparison.Ordinal);
    }
}
