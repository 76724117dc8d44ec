using ArtGallery.Core.Studio.Melody;
using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.UnitTests.Studio;

public sealed class MelodySamplerAndMappingTests
{
    [Fact]
    public void AllowedEvents_KeyAndRegister_AllowOnlyScaleNotesInside()
    {
        var allowed = MelodySampler.AllowedEvents(new MusicalKey(0, MelodyMode.Major), 60, 72);

        Assert.True(allowed[MelodyEvents.Hold] && allowed[MelodyEvents.Rest]);
        Assert.True(allowed[MelodyEvents.NoteOn(64)]);
        Assert.False(allowed[MelodyEvents.NoteOn(61)]);
        Assert.False(allowed[MelodyEvents.NoteOn(74)]);
    }

    [Fact]
    public void Sample_NeverPicksAMaskedEvent()
    {
        var logits = new float[MelodyEvents.VocabularySize];
        logits[MelodyEvents.NoteOn(61)] = 50; // by far the model's favourite, but out of key
        var allowed = MelodySampler.AllowedEvents(new MusicalKey(0, MelodyMode.Major), 48, 83);
        var random = new Random(1);

        var picks = Enumerable.Range(0, 500).Select(_ => MelodySampler.Sample(logits, allowed, 1.0, 0, random)).ToList();

        Assert.DoesNotContain(MelodyEvents.NoteOn(61), picks);
    }

    [Fact]
    public void Sample_TopOne_IsArgmax_AndLowTemperatureConcentrates()
    {
        float[] logits = [.. Enumerable.Range(0, MelodyEvents.VocabularySize).Select(i => i == 5 ? 2f : 1f)];
        var all = Enumerable.Repeat(true, logits.Length).ToArray();
        var random = new Random(2);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(5, MelodySampler.Sample(logits, all, 1.0, 1, random)));
        var cold = Enumerable.Range(0, 300).Count(_ => MelodySampler.Sample(logits, all, 0.1, 0, random) == 5);
        var hot = Enumerable.Range(0, 300).Count(_ => MelodySampler.Sample(logits, all, 3.0, 0, random) == 5);
        Assert.True(cold > 290, $"cold picked the favourite {cold} times of 300");
        Assert.True(hot < 60, $"hot picked the favourite {hot} times of 300");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(50.0)]
    public void Sample_AbsurdTemperature_Throws(double temperature)
    {
        var logits = new float[MelodyEvents.VocabularySize];
        var all = Enumerable.Repeat(true, logits.Length).ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => MelodySampler.Sample(logits, all, temperature, 0, new Random(1)));
    }

    [Fact]
    public void Validate_AbsurdRequest_ListsEveryProblem()
    {
        var problems = new MelodyRequest { Bars = 10_000, Temperature = double.NaN, Bpm = 2, TopK = -1, LowPitch = 70, HighPitch = 72, BeatsPerBar = 7 }.Validate();

        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.Contains("bars", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("temperature", StringComparison.Ordinal));
    }

    [Fact]
    public void ForArtwork_DarkBaroqueAndBrightPopArt_SoundDifferent()
    {
        var dark = ArtworkMelodyMapping.ForArtwork(1, ["#1b140f", "#3a2a1c", "#5c4330", "#0d0b0a", "#7a5b3a"], "Baroque");
        var bright = ArtworkMelodyMapping.ForArtwork(2, ["#ffde00", "#ff2a6d", "#05d9e8", "#ffffff", "#ff7f11"], "Pop Art");

        Assert.Equal(MelodyMode.Minor, dark.Request.Key!.Value.Mode);
        Assert.Equal(MelodyMode.Major, bright.Request.Key!.Value.Mode);
        Assert.True(dark.Request.Bpm + 30 < bright.Request.Bpm, $"{dark.Request.Bpm} vs {bright.Request.Bpm} bpm");
        Assert.True(dark.Request.LowPitch + 6 < bright.Request.LowPitch, $"register {dark.Request.LowPitch} vs {bright.Request.LowPitch}");
        Assert.True(dark.Request.Temperature < bright.Request.Temperature);
        Assert.Equal(Timbre.Pluck, dark.Timbre);
        Assert.Equal(Timbre.Square, bright.Timbre);
        Assert.Empty(dark.Request.Validate());
        Assert.Empty(bright.Request.Validate());
    }

    [Fact]
    public void ForArtwork_SameWork_SameSettings_AndNoPaletteStillValid()
    {
        var a = ArtworkMelodyMapping.ForArtwork(7, ["#336699"], "Ink Wash");
        var b = ArtworkMelodyMapping.ForArtwork(7, ["#336699"], "Ink Wash");
        var none = ArtworkMelodyMapping.ForArtwork(8, [], null);

        Assert.Equal(a, b);
        Assert.Equal(3, a.Request.BeatsPerBar);
        Assert.Empty(none.Request.Validate());
    }

    [Fact]
    public void PaletteMood_HueFollowsTheDominantColours()
    {
        var red = PaletteMood.From(["#e01010", "#c02020"]);
        var blue = PaletteMood.From(["#1020e0", "#2030c0"]);

        Assert.True(red.Hue is < 10 or > 350, $"red hue {red.Hue}");
        Assert.InRange(blue.Hue, 225, 245);
        Assert.True(red.Warmth > 0.9 && blue.Warmth < 0.1);
    }
}
