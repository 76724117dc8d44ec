using System.Security.Cryptography;
using ArtGallery.Engines.Demo;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Demo;

public class DemoPainterTests
{
    private static string Hash(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan())));
    }

    [Fact]
    public void Plan_CoversAtLeastEightMovements_AndSixHundredWorks()
    {
        var plan = DemoCatalogue.Plan(600, 42);
        Assert.Equal(600, plan.Count);
        Assert.True(plan.Select(w => w.Movement).Distinct().Count() >= 8);
        Assert.All(plan.GroupBy(w => w.Movement), g => Assert.Equal(60, g.Count()));
        Assert.All(plan, w => Assert.True(w.Artist.Movement == w.Movement));
    }

    [Fact]
    public void Plan_IsDeterministicForASeed_AndDiffersBetweenSeeds()
    {
        Assert.Equal(DemoCatalogue.Plan(50, 42), DemoCatalogue.Plan(50, 42));
        Assert.NotEqual(DemoCatalogue.Plan(50, 42).Select(w => w.Title), DemoCatalogue.Plan(50, 43).Select(w => w.Title));
    }

    [Fact]
    public void Paint_IsDeterministic()
    {
        var work = DemoCatalogue.Plan(3, 42)[2];
        using var a = DemoPainter.Paint(work);
        using var b = DemoPainter.Paint(work);
        Assert.Equal(Hash(a), Hash(b));
        Assert.Equal((work.Width, work.Height), (a.Width, a.Height));
    }

    [Fact]
    public void Paint_GivesEveryMovementItsOwnLook()
    {
        // Mean colour and contrast differ between movements painting the same subject.
        var plan = DemoCatalogue.Plan(10, 42);
        var signatures = plan.Select(w =>
        {
            using var image = DemoPainter.Paint(w);
            var pixels = new Rgb24[image.Width * image.Height];
            image.CopyPixelDataTo(pixels);
            var luma = pixels.Select(p => (0.299 * p.R) + (0.587 * p.G) + (0.114 * p.B)).ToArray();
            var mean = luma.Average();
            return (Mean: Math.Round(mean / 8), Contrast: Math.Round(Math.Sqrt(luma.Average(l => (l - mean) * (l - mean))) / 4));
        }).ToList();
        Assert.True(signatures.Distinct().Count() >= 8, string.Join(", ", signatures));
    }

    [Fact]
    public void Names_AreClearlyMarkedAsGenerated()
    {
        Assert.All(Enum.GetValues<DemoMovement>(), m => Assert.StartsWith("Generated ", DemoCatalogue.MovementName(m), StringComparison.Ordinal));
        Assert.Contains("Not a real artwork", DemoCatalogue.GeneratedNotice, StringComparison.Ordinal);
    }
}
