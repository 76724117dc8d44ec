using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.UnitTests.Studio;

public sealed class MelodyCorpusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("melody-corpus-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ReadFolder_EncodesGeneratedTunes_SkipsCorruptOnesWithAReason()
    {
        MelodyNote[] tune = [.. Enumerable.Range(0, 24).Select(i => new MelodyNote(60 + (i % 5 * 2), i * 4, 4))];
        for (var i = 0; i < 12; i++)
        {
            File.WriteAllBytes(Path.Combine(_folder, $"tune{i}.mid"), MelodyMidi.Write(tune, 16, 100));
        }

        File.WriteAllBytes(Path.Combine(_folder, "broken.mid"), [0x4D, 0x54, 0x68, 0x64, 0, 0]);
        var skipped = new List<string>();

        var tunes = MelodyCorpus.ReadFolder(_folder, (name, reason) => skipped.Add($"{name}: {reason}"));

        Assert.Equal(12, tunes.Count);
        Assert.All(tunes, t => Assert.Equal(tune, MelodyEvents.Decode(t.Melody.Events)));
        Assert.All(tunes, t => Assert.Equal(MelodyCorpus.IsHeldOut(t.Name), t.HeldOut));
        Assert.Single(skipped);
        Assert.StartsWith("broken.mid: ", skipped[0], StringComparison.Ordinal);

        using var writer = new StringWriter();
        MelodyCorpus.Write(writer, tunes);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(13, lines.Length);
        Assert.Equal(4, lines[1].Split('\t').Length);
    }

    [Fact]
    public void Baselines_BigramBeatsUnigramOnAPatternedTune()
    {
        var tune = new MelodyEventSequence([.. Enumerable.Range(0, 400).Select(i => i % 4 == 0 ? MelodyEvents.NoteOn(60 + (i / 4 % 3)) : MelodyEvents.Hold)], 16);

        var unigram = EventBaselines.Unigram([tune]);
        var bigram = EventBaselines.Bigram([tune], 0.1);

        Assert.Equal(1.0, unigram.Sum(), 9);
        Assert.True(EventBaselines.Nll([tune], (p, n) => bigram[p, n]) < EventBaselines.Nll([tune], (_, n) => unigram[n]));
    }

    [Fact]
    public void Statistics_MeasureRangeRepetitionAndMotifReuse()
    {
        MelodyNote[] notes = [.. new[] { 60, 62, 64, 60, 62, 64, 60, 62, 64, 64 }.Select((p, i) => new MelodyNote(p, i * 2, 2))];

        Assert.Equal(4, MelodyStatistics.PitchRange(notes));
        Assert.Equal(3, MelodyStatistics.DistinctPitches(notes));
        Assert.Equal(1 / 9.0, MelodyStatistics.RepeatedPitchShare(notes), 9);
        Assert.Equal(3 / 7.0, MelodyStatistics.RepeatedPatternShare(notes), 9); // 7 interval triples, the 3 of the second phrase repeat the first
    }
}
