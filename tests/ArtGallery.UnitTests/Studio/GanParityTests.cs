using System.Text.Json;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.Gan;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArtGallery.UnitTests.Studio;

/// <summary>
/// The shipped ONNX generator under ONNX Runtime against the PyTorch outputs the training recipe
/// wrote for the same latents (Engines/Fixtures/gan-demo-64-parity.json), and the C# seed rule
/// against the recipe's Python mirror of it.
/// </summary>
public sealed class GanParityTests
{
    private static readonly JsonElement Fixture = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Engines", "Fixtures", "gan-demo-64-parity.json"))).RootElement;

    [Fact]
    public void SeedToLatent_MatchesTheRecipesPythonMirror()
    {
        var seeds = Fixture.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt64()).ToArray();
        var latents = Fixture.GetProperty("latents").EnumerateArray().ToArray();
        for (var i = 0; i < seeds.Length; i++)
        {
            var expected = latents[i].EnumerateArray().Select(v => v.GetSingle()).ToArray();
            // Same double-precision maths cast to float; 1e-6 allows a last-bit difference between libm and .NET cos/sin/log.
            Assert.Equal(expected, GanLatents.FromSeed(seeds[i], expected.Length), (a, b) => Math.Abs(a - b) < 1e-6f);
        }
    }

    [Fact]
    public void OnnxGenerator_MatchesPyTorch_OnTheFixtureLatents()
    {
        using var generator = new GanGenerator(
            Options.Create(new EngineOptions { ExecutionProvider = ExecutionProviderPreference.Cpu }),
            NullLogger<GanGenerator>.Instance);
        Assert.True(generator.IsAvailable, generator.UnavailableReason);

        var latents = Fixture.GetProperty("latents").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var expected = Fixture.GetProperty("outputs").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var actual = generator.GenerateTensors(latents);
        var length = actual.Length / latents.Length;
        Assert.Equal(expected[0].Length, length);
        var worst = 0f;
        for (var n = 0; n < latents.Length; n++)
        {
            for (var i = 0; i < length; i++)
            {
                worst = Math.Max(worst, Math.Abs(expected[n][i] - actual[(n * length) + i]));
            }
        }

        // Outputs lie in [−1, 1]; the fixture is rounded to 1e-6, and ORT's and PyTorch's transposed
        // convolutions sum in different orders (float32): 1e-4 is well under one 8-bit step (0.0078).
        Assert.True(worst < 1e-4f, $"largest difference {worst}");
    }
}
