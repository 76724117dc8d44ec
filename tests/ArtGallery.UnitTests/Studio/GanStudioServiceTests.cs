using ArtGallery.Core.Studio;
using ArtGallery.Core.Studio.Gan;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.Gan;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Studio;

/// <summary>The studio's operations on the shipped generator (CPU), and its refusals of bad requests.</summary>
public sealed class GanStudioServiceTests : IClassFixture<GanStudioServiceTests.GeneratorFixture>
{
    private readonly GanGenerator _generator;
    private readonly GanStudioService _studio;

    public GanStudioServiceTests(GeneratorFixture fixture)
    {
        _generator = fixture.Generator;
        _studio = new GanStudioService(fixture.Generator);
    }

    public sealed class GeneratorFixture : IDisposable
    {
        public GanGenerator Generator { get; } = new(
            Options.Create(new EngineOptions { ExecutionProvider = ExecutionProviderPreference.Cpu }),
            NullLogger<GanGenerator>.Instance);

        public void Dispose() => Generator.Dispose();
    }

    [Fact]
    public void Generator_LoadsTheShippedModel_WithItsManifestShapes()
    {
        Assert.True(_studio.IsAvailable, _studio.UnavailableReason);
        Assert.Equal(SessionFactory.CpuProvider, _studio.Provider);
        Assert.Equal(64, _studio.ImageSize);
    }

    [Fact]
    public void ParseSeeds_ReadsListsAndRanges_KeepingTheFirstOfDuplicates()
    {
        Assert.Equal([3, 7, 42], GanStudioService.ParseSeeds("3, 7, 42"));
        Assert.Equal([1, 2, 3, 4, 9], GanStudioService.ParseSeeds("1-4 9 3"));
        Assert.Equal(64, GanStudioService.ParseSeeds("0-63").Count);
    }

    [Theory]
    [InlineData("", "at least one seed")]
    [InlineData("abc", "'abc' is not a seed")]
    [InlineData("-5", "'-5' is not a seed")]
    [InlineData("3000000000", "'3000000000' is not a seed")]
    [InlineData("1.5", "'1.5' is not a seed")]
    [InlineData("9-2", "runs backwards")]
    [InlineData("1-100", "at most 64")]
    [InlineData("0-40 100-140", "at most 64")]
    public void ParseSeeds_BadInput_GetsAClearMessage(string text, string message)
    {
        var ex = Assert.Throws<StudioRequestException>(() => GanStudioService.ParseSeeds(text));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_SameSeed_PaintsTheSamePicture_InAnyGrid()
    {
        var first = _studio.Grid([5, 6, 7]);
        var again = _studio.Grid([7, 5]);
        Assert.Equal(first[0].Png, again[1].Png);
        Assert.Equal(first[2].Png, again[0].Png);
        Assert.NotEqual(first[0].Png, first[1].Png);
        using var image = Image.Load<Rgb24>(first[0].Png);
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Equal("Seed 5", first[0].Label);
    }

    [Fact]
    public void Grid_AbsurdCountsAndSeeds_AreRefused()
    {
        Assert.Throws<StudioRequestException>(() => _studio.Grid([]));
        Assert.Throws<StudioRequestException>(() => _studio.Grid([.. Enumerable.Range(0, 65).Select(i => (long)i)]));
        Assert.Throws<StudioRequestException>(() => _studio.Grid([-1]));
    }

    [Fact]
    public void Morph_StartsAtTheFirstPick_AndEndsAtTheSecond()
    {
        var picks = _studio.Grid([1, 2]);
        var frames = _studio.Morph(picks[0], picks[1], 6);
        Assert.Equal(6, frames.Count);
        // The end frames are the picks' own latents through the same generator: within a byte per channel.
        AssertSamePicture(picks[0].Png, frames[0]);
        AssertSamePicture(picks[1].Png, frames[^1]);
        Assert.Throws<StudioRequestException>(() => _studio.Morph(picks[0], picks[1], 1));
        Assert.Throws<StudioRequestException>(() => _studio.Morph(picks[0], picks[1], 500));
    }

    [Fact]
    public void Breed_KeepsTheLineage_AndRefusesBadMutation()
    {
        var picks = _studio.Grid([1, 2]);
        var child = _studio.Breed(picks[0], picks[1], 0.2f, 1);
        Assert.Equal(["s1", "s2"], child.Parents);
        Assert.Equal(1, child.Generation);
        var grandchild = _studio.Breed(child, picks[0], 0, 2);
        Assert.Equal(2, grandchild.Generation);
        Assert.Equal(child.Png, _studio.Breed(picks[0], picks[1], 0.2f, 1).Png);
        Assert.Throws<StudioRequestException>(() => _studio.Breed(picks[0], picks[1], 2f, 1));
        Assert.Throws<StudioRequestException>(() => _studio.Breed(picks[0], picks[1], 0.5f, -3));
    }

    [Fact]
    public void Upscale_GivesTheAskedSide_AndRefusesAbsurdSides()
    {
        var pick = _studio.Grid([3])[0];
        using var large = Image.Load<Rgb24>(GanStudioService.Upscale(pick, 512));
        Assert.Equal((512, 512), (large.Width, large.Height));
        Assert.Throws<StudioRequestException>(() => GanStudioService.Upscale(pick, 10));
        Assert.Throws<StudioRequestException>(() => GanStudioService.Upscale(pick, 100_000));
    }

    [Fact]
    public void Generator_RefusesLatentsOfTheWrongLengthOrNotFinite()
    {
        Assert.Throws<ArgumentException>(() => _generator.GenerateTensors([new float[3]]));
        var bad = new float[100];
        bad[4] = float.NaN;
        Assert.Throws<ArgumentException>(() => _generator.GenerateTensors([bad]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _generator.GenerateTensors([.. Enumerable.Range(0, 65).Select(_ => new float[100])]));
    }

    private static void AssertSamePicture(byte[] expected, byte[] actual)
    {
        using var a = Image.Load<Rgb24>(expected);
        using var b = Image.Load<Rgb24>(actual);
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                var (p, q) = (a[x, y], b[x, y]);
                Assert.True(Math.Abs(p.R - q.R) <= 1 && Math.Abs(p.G - q.G) <= 1 && Math.Abs(p.B - q.B) <= 1, $"pixel {x},{y}: {p} vs {q}");
            }
        }
    }
}
