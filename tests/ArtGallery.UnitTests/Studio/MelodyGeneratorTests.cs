using System.Text.Json;
using ArtGallery.Engines.Runtime;
using ArtGallery.Engines.Studio.Melody;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArtGallery.UnitTests.Studio;

public sealed class MelodyGeneratorTests : IDisposable
{
    private readonly MelodyGenerator _generator = new(
        Options.Create(new EngineOptions { ExecutionProvider = ExecutionProviderPreference.Cpu, IntraOpThreads = 1 }),
        NullLogger<MelodyGenerator>.Instance);

    public void Dispose() => _generator.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Onnx_MatchesPyTorchFixture_WholeSequenceAndStepByStep(bool oneStepAtATime)
    {
        Assert.True(_generator.IsAvailable, _generator.UnavailableReason);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Studio", "Fixtures", "melody-parity.json")));
        var root = json.RootElement;
        var events = root.GetProperty("events").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var positions = root.GetProperty("positions").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var expected = root.GetProperty("logits").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        var expectedH = root.GetProperty("h_out").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        var (logits, h, _) = _generator.RunSteps(events, positions, oneStepAtATime);

        // The fixture is rounded to 6 decimals; float32 LSTM kernels in PyTorch and ONNX Runtime
        // differ by accumulation order, ~1e-6 per step over 32 steps; 1e-4 leaves margin and is far
        // below any difference that changes which event gets sampled.
        Assert.Equal(expected.Length, logits.Length);
        Assert.All(expected.Zip(logits), p => Assert.Equal(p.First, p.Second, 1e-4f));
        Assert.All(expectedH.Zip(h), p => Assert.Equal(p.First, p.Second, 1e-4f));
    }

    [Fact]
    public void Compose_WithKey_KeepsEverySampledNoteInKeyAndRegister()
    {
        var key = new MusicalKey(4, MelodyMode.Minor);
        var melody = _generator.Compose(new MelodyRequest { Bars = 8, Key = key, LowPitch = 52, HighPitch = 76, Seed = 3 });

        Assert.Equal(8 * 16, melody.Events.Length);
        Assert.NotEmpty(melody.Notes);
        Assert.All(melody.Notes, n => Assert.True(key.Contains(n.Pitch) && n.Pitch is >= 52 and <= 76, $"pitch {n.Pitch}"));
        Assert.Equal(64, melody.Notes[0].Pitch); // opens on the tonic E nearest the register's centre
    }

    [Fact]
    public void Compose_SameSeed_SameMelody_DifferentSeed_Differs()
    {
        var request = new MelodyRequest { Bars = 4, Seed = 11 };

        Assert.Equal(_generator.Compose(request).Events, _generator.Compose(request).Events);
        Assert.NotEqual(_generator.Compose(request).Events, _generator.Compose(request with { Seed = 12 }).Events);
    }

    [Fact]
    public void Compose_Primer_IsKeptAndContinued()
    {
        var primer = PrimerText.Parse("D4:2 E4:2 F#4:4 A4:8");
        var melody = _generator.Compose(new MelodyRequest { Bars = 4, Primer = primer, BeatsPerBar = 3 });

        Assert.Equal(4 * 12, melody.Events.Length);
        Assert.Equal(primer, melody.Notes.Take(4).Select((n, i) => i == 3 ? n with { DurationSteps = 8 } : n));
        Assert.True(melody.Notes.Count > 4, "the model added nothing after the primer");
    }

    [Fact]
    public void Compose_AbsurdLength_ThrowsWithReason()
    {
        var ex = Assert.Throws<ArgumentException>(() => _generator.Compose(new MelodyRequest { Bars = 100_000 }));

        Assert.Contains("bars", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingModel_IsUnavailableWithReason()
    {
        using var missing = new MelodyGenerator(
            Options.Create(new EngineOptions { ModelsDirectory = Path.Combine(Path.GetTempPath(), "no-models-here") }),
            NullLogger<MelodyGenerator>.Instance);

        Assert.False(missing.IsAvailable);
        Assert.Contains("melody-lstm", missing.UnavailableReason, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => missing.Compose(new MelodyRequest()));
    }
}
