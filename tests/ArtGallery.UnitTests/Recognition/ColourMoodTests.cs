using ArtGallery.Core.Recognition;

namespace ArtGallery.UnitTests.Recognition;

public class ColourMoodTests
{
    // Hand-checked: P = .69 Y + .22 S, A = −.31 Y + .60 S, D = −.76 Y + .32 S with Y = luma
    // (.2126 R + .7152 G + .0722 B on 0..1 values) and S = max − min. Six decimals: the inputs are exact.
    [Fact]
    public void FromPalette_White_IsBrightUnsaturatedCalmAndNeitherWarmNorCool()
    {
        var mood = ColourMood.FromPalette(["#ffffff"])!;

        Assert.Equal(1, mood.Brightness, 6);
        Assert.Equal(0, mood.Saturation, 6);
        Assert.Equal(0.69, mood.Pleasure, 6);
        Assert.Equal(-0.31, mood.Arousal, 6);
        Assert.Equal(-0.76, mood.Dominance, 6);
        Assert.Null(mood.Warmth);
        Assert.Equal("calm", mood.Words);
    }

    [Fact]
    public void FromPalette_PureRed_IsIntenseAndWarm()
    {
        // Y = .2126, S = 1: P = .146694 + .22, A = −.065906 + .60, D = −.161576 + .32.
        var mood = ColourMood.FromPalette(["#ff0000"])!;

        Assert.Equal(0.366694, mood.Pleasure, 6);
        Assert.Equal(0.534094, mood.Arousal, 6);
        Assert.Equal(0.158424, mood.Dominance, 6);
        Assert.Equal("intense, warm", mood.Words);
    }

    [Fact]
    public void FromPalette_PureYellow_IsLivelyAndWarm()
    {
        // Y = .2126 + .7152 = .9278, S = 1: P = .640182 + .22, A = −.287618 + .60.
        var mood = ColourMood.FromPalette(["#ffff00"])!;

        Assert.Equal(0.860182, mood.Pleasure, 6);
        Assert.Equal(0.312382, mood.Arousal, 6);
        Assert.Equal("lively, warm", mood.Words);
    }

    [Fact]
    public void FromPalette_MidGrey_IsSombre()
    {
        // Y = 128/255 = .501961, S = 0: P = .346353 (< .455 at the middle), A = −.155608 (< .145).
        var mood = ColourMood.FromPalette(["#808080"])!;

        Assert.Equal(0.346353, mood.Pleasure, 6);
        Assert.Equal(-0.155608, mood.Arousal, 6);
        Assert.Equal("sombre", mood.Words);
    }

    [Fact]
    public void FromPalette_WeighsColoursByOneOverRootRank()
    {
        // White weighs 1, black 1/√2: Y = 1 / (1 + .707107) = .585786, P = .69 · .585786.
        var mood = ColourMood.FromPalette(["#ffffff", "#000000"])!;

        Assert.Equal(0.585786, mood.Brightness, 6);
        Assert.Equal(0.404193, mood.Pleasure, 6);
    }

    [Fact]
    public void FromPalette_MostlyBlue_IsCool()
    {
        var mood = ColourMood.FromPalette(["#1a2456", "#2a5db0", "#c8102e"])!;

        // The red (third, weight 1/√3) is the only warm colour of chromatic weight 1 + 1/√2 + 1/√3: warmth = .577350 / 2.284457 = .252730.
        Assert.Equal(0.252730, mood.Warmth!.Value, 6);
        Assert.Equal("cool", mood.Temperature);
    }

    [Fact]
    public void FromPalette_NoReadableColour_IsNull()
    {
        Assert.Null(ColourMood.FromPalette([]));
        Assert.Null(ColourMood.FromPalette(["not a colour"]));
    }

    [Fact]
    public void Middle_IsTheModelAtHalfBrightnessAndHalfSaturation()
    {
        Assert.Equal(0.455, ColourMood.Middle.Pleasure, 6);
        Assert.Equal(0.145, ColourMood.Middle.Arousal, 6);
    }
}
