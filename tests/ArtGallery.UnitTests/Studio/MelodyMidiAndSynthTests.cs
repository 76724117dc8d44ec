using System.Buffers.Binary;
using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.UnitTests.Studio;

public sealed class MelodyMidiAndSynthTests
{
    private static readonly MelodyNote[] Tune = [new(62, 0, 4), new(66, 4, 2), new(69, 6, 2), new(74, 8, 8), new(69, 20, 4)];

    [Fact]
    public void Write_ThenRead_RoundTripsNotesMetreAndTempo()
    {
        var bytes = MelodyMidi.Write(Tune, 12, 96);

        using var stream = new MemoryStream(bytes);
        var read = MelodyMidi.Read(stream, "tune.mid");

        Assert.Equal(Tune, read.Notes);
        Assert.Equal(12, read.StepsPerBar);
        Assert.Equal(96, read.Bpm, 3);
    }

    [Fact]
    public void Read_PicksTheHighestTracksTopLine()
    {
        // A chord track below the tune (NAudio drops the empty first track on export): the reader must return the tune, not the chords.
        var collection = new NAudio.Midi.MidiEventCollection(1, 480);
        void Note(int track, int pitch, long start, int length)
        {
            var on = new NAudio.Midi.NoteOnEvent(start, track + 1, pitch, 80, length);
            collection.AddEvent(on, track);
            collection.AddEvent(on.OffEvent, track);
        }

        foreach (var (pitch, start) in new[] { (48, 0L), (52, 0L), (55, 0L), (50, 960L), (53, 960L), (57, 960L) })
        {
            Note(1, pitch, start, 960);
        }

        Note(2, 72, 0, 480);
        Note(2, 67, 0, 480); // a harmony note under the tune at the same onset
        Note(2, 74, 480, 480);
        Note(2, 76, 960, 960);
        for (var t = 0; t < 3; t++)
        {
            collection.AddEvent(new NAudio.Midi.MetaEvent(NAudio.Midi.MetaEventType.EndTrack, 0, 2000), t);
        }

        collection.PrepareForExport();
        var path = Path.Combine(Path.GetTempPath(), $"melody-{Guid.NewGuid():N}.mid");
        try
        {
            NAudio.Midi.MidiFile.Export(path, collection);
            var melody = MelodyMidi.Read(path);

            Assert.Equal([new MelodyNote(72, 0, 4), new MelodyNote(74, 4, 4), new MelodyNote(76, 8, 8)], melody.Notes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    [InlineData(new byte[] { (byte)'M', (byte)'T', (byte)'h', (byte)'d', 0, 0, 0, 6, 0, 1, 0, 3 })]
    [InlineData(new byte[0])]
    public void Read_CorruptFile_ThrowsInvalidDataWithTheName(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);

        var ex = Assert.Throws<InvalidDataException>(() => MelodyMidi.Read(stream, "broken.mid"));

        Assert.Contains("broken.mid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedFile_ThrowsInvalidData()
    {
        var bytes = MelodyMidi.Write(Tune, 16, 120);
        using var stream = new MemoryStream(bytes[..(bytes.Length - 20)]);

        Assert.Throws<InvalidDataException>(() => MelodyMidi.Read(stream, "cut.mid"));
    }

    [Theory]
    [InlineData(Timbre.Flute)]
    [InlineData(Timbre.Pluck)]
    [InlineData(Timbre.Square)]
    public void RenderWav_IsPcmMonoOfTheMelodysLength(Timbre timbre)
    {
        var wav = MelodySynth.RenderWav(Tune, 120, timbre);

        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.Equal("WAVE"u8.ToArray(), wav[8..12]);
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));
        Assert.Equal(MelodySynth.SampleRate, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        var seconds = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)) / 2.0 / MelodySynth.SampleRate;

        // 24 sixteenths at 120 bpm = 3 s, plus the release tail; one sample of rounding.
        Assert.Equal(3 + MelodySynth.TailSeconds, seconds, 3);
    }

    [Fact]
    public void Render_SoundsDuringNotesAndIsSilentInRests()
    {
        var samples = MelodySynth.Render(Tune, 120, Timbre.Flute);
        var step = MelodySynth.SampleRate / 8; // one sixteenth at 120 bpm

        static double Rms(ReadOnlySpan<float> s)
        {
            double sum = 0;
            foreach (var x in s)
            {
                sum += x * x;
            }

            return Math.Sqrt(sum / s.Length);
        }

        Assert.True(Rms(samples.AsSpan(step, step)) > 0.05);
        Assert.True(Rms(samples.AsSpan((int)(18.5 * step), step / 2)) < 1e-6); // steps 16–20 are a rest after the release
        Assert.All(samples, s => Assert.InRange(s, -1f, 1f));
    }

    [Fact]
    public void Render_AbsurdTempo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MelodySynth.Render(Tune, 5000, Timbre.Flute));
    }

    [Fact]
    public void Envelope_RisesHoldsAndReleasesToZero()
    {
        Assert.Equal(0.5, MelodySynth.Envelope(0.005, 1, 0.01, 0.1, 0.7, 0.2), 6);
        Assert.Equal(0.7, MelodySynth.Envelope(0.5, 1, 0.01, 0.1, 0.7, 0.2), 6);
        Assert.Equal(0.35, MelodySynth.Envelope(1.1, 1, 0.01, 0.1, 0.7, 0.2), 6);
        Assert.Equal(0, MelodySynth.Envelope(1.3, 1, 0.01, 0.1, 0.7, 0.2));
    }
}
