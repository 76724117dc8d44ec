using ArtGallery.Engines.Studio.StyleTransfer;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Studio;

public sealed class PaletteTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(255, 255, 255)]
    [InlineData(200, 30, 90)]
    [InlineData(12, 140, 250)]
    public void Lab_RoundTripsPixels(byte r, byte g, byte b)
    {
        var (l, a, bb) = Palette.ToLab(new Rgb24(r, g, b));
        var back = Palette.FromLab(l, a, bb);

        // ±1 level: float32 cube roots and the sRGB curve round once each way.
        Assert.InRange(back.R, r - 1, r + 1);
        Assert.InRange(back.G, g - 1, g + 1);
        Assert.InRange(back.B, b - 1, b + 1);
    }

    [Fact]
    public void Lab_OfWhite_IsLightness100_WithoutChroma()
    {
        var (l, a, b) = Palette.ToLab(new Rgb24(255, 255, 255));
        Assert.Equal(100f, l, 0.05f);
        Assert.Equal(0f, a, 0.05f);
        Assert.Equal(0f, b, 0.05f);
    }

    [Fact]
    public void ChiSquare_IsZeroForTheSamePalette_AndOneForDisjointOnes()
    {
        using var red = Filled(new Rgb24(220, 20, 20));
        using var blue = Filled(new Rgb24(20, 20, 220));
        Assert.Equal(0, Palette.ChiSquare(red, red.Clone()), 1e-9);
        Assert.Equal(1, Palette.ChiSquare(red, blue), 1e-9);
    }

    [Fact]
    public void Match_GivesThePhotoThePalettesColours_AndKeepsItsLayout()
    {
        // A ramp from navy to pale yellow (L and b rise, a falls left to right, as from the
        // palette's dark blue to its yellow) matched to a palette of half dark blue, half yellow.
        using var photo = new Image<Rgb24>(64, 16);
        for (var y = 0; y < photo.Height; y++)
        {
            for (var x = 0; x < photo.Width; x++)
            {
                var v = (byte)(x * 4);
                photo[x, y] = new Rgb24(v, v, 128);
            }
        }

        using var palette = new Image<Rgb24>(10, 10);
        for (var y = 0; y < palette.Height; y++)
        {
            for (var x = 0; x < palette.Width; x++)
            {
                palette[x, y] = x < 5 ? new Rgb24(20, 30, 120) : new Rgb24(240, 220, 40);
            }
        }

        using var matched = Palette.Match(photo, palette);

        Assert.True(Palette.ChiSquare(photo, palette) > 0.9, "the ramp already had the palette's colours");

        // Quantile matching reproduces the palette's marginals exactly; the joint histogram can
        // differ only where the channels' orders disagree (here they agree), so the distance is ~0.
        Assert.True(Palette.ChiSquare(matched, palette) < 0.01, $"chi-square after matching {Palette.ChiSquare(matched, palette)}");
        Assert.True(matched[2, 8].B > matched[2, 8].R, $"the dark side should turn blue: {matched[2, 8]}");
        Assert.True(matched[61, 8].R > matched[61, 8].B, $"the light side should turn yellow: {matched[61, 8]}");
    }

    [Fact]
    public void Match_WithAnAmount_MovesThatShareOfTheWayInLab()
    {
        using var photo = Filled(new Rgb24(40, 60, 200));
        using var palette = Filled(new Rgb24(230, 200, 40));
        using var none = Palette.Match(photo, palette, 0f);
        using var half = Palette.Match(photo, palette, 0.5f);
        using var full = Palette.Match(photo, palette, 1f);
        var (l0, a0, b0) = Palette.ToLab(photo[3, 3]);
        var (l1, a1, b1) = Palette.ToLab(full[3, 3]);
        var (lh, ah, bh) = Palette.ToLab(half[3, 3]);

        // ±1 level per channel from the byte round trip (Lab_RoundTripsPixels); in Lab that is within 1.5.
        Assert.InRange(none[3, 3].B, 199, 201);
        Assert.Equal((l0 + l1) / 2, lh, 1.5f);
        Assert.Equal((a0 + a1) / 2, ah, 1.5f);
        Assert.Equal((b0 + b1) / 2, bh, 1.5f);
        Assert.Throws<ArgumentOutOfRangeException>(() => Palette.Match(photo, palette, 1.5f));
    }

    [Fact]
    public void Match_AlongRotations_FollowsTheJointDistribution_NotOnlyTheMarginals()
    {
        // The palette pairs dark with blue and light with yellow; the photo has the same lightness
        // and b marginals but the other way round in space and in pairing (dark-yellow, light-blue
        // quarters beside dark-blue, light-yellow ones). Matching L, a, b separately cannot undo a
        // wrong pairing; matching along rotated axes too moves pixels off the photo's diagonals.
        using var palette = new Image<Rgb24>(16, 16);
        using var photo = new Image<Rgb24>(16, 16);
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                palette[x, y] = x < 8 ? new Rgb24(20, 30, 120) : new Rgb24(240, 220, 40);
                photo[x, y] = (x < 8, y < 8) switch
                {
                    (true, true) => new Rgb24(20, 30, 120),
                    (true, false) => new Rgb24(90, 80, 10),
                    (false, true) => new Rgb24(150, 170, 250),
                    _ => new Rgb24(240, 220, 40),
                };
            }
        }

        using var channels = Palette.Match(photo, palette);
        using var joint = Palette.Match(photo, palette, 1f, rotations: 30);
        var (separate, together) = (Palette.ChiSquare(channels, palette), Palette.ChiSquare(joint, palette));
        Assert.True(together < separate / 2, $"chi-square along L, a, b {separate:F3}, with rotations {together:F3}");
    }

    private static Image<Rgb24> Filled(Rgb24 colour)
    {
        var image = new Image<Rgb24>(8, 8);
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                image[x, y] = colour;
            }
        }

        return image;
    }
}
