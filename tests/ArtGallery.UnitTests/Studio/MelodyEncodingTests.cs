using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.UnitTests.Studio;

public sealed class MelodyEncodingTests
{
    [Fact]
    public void Encode_NotesAndRest_GivesNoteOnHoldRestEvents()
    {
        MelodyNote[] notes = [new(60, 0, 4), new(62, 4, 2), new(64, 8, 4)];

        var sequence = MelodyEvents.Encode(notes, 16);

        int[] c = [MelodyEvents.NoteOn(60)], d = [MelodyEvents.NoteOn(62)], e = [MelodyEvents.NoteOn(64)];
        Assert.Equal([c[0], 0, 0, 0, d[0], 0, MelodyEvents.Rest, 0, e[0], 0, 0, 0], sequence.Events);
    }

    [Fact]
    public void Decode_OfEncode_RoundTripsNotes()
    {
        MelodyNote[] notes = [new(67, 0, 3), new(69, 3, 1), new(71, 4, 8), new(72, 14, 2)];

        var decoded = MelodyEvents.Decode(MelodyEvents.Encode(notes, 16).Events);

        Assert.Equal(notes, decoded);
    }

    [Fact]
    public void Encode_LeadingWholeBarsOfSilence_AreDroppedButPickupKept()
    {
        var sequence = MelodyEvents.Encode([new MelodyNote(60, 16 + 12, 4)], 16);

        Assert.Equal(16, sequence.Length);
        Assert.Equal(MelodyEvents.Rest, sequence.Events[0]);
        Assert.Equal(MelodyEvents.NoteOn(60), sequence.Events[12]);
    }

    [Fact]
    public void Encode_OverlappingNotes_LaterNoteCutsEarlierShort()
    {
        var decoded = MelodyEvents.Decode(MelodyEvents.Encode([new MelodyNote(60, 0, 8), new MelodyNote(64, 4, 4)], 16).Events);

        Assert.Equal([new MelodyNote(60, 0, 4), new MelodyNote(64, 4, 4)], decoded);
    }

    [Fact]
    public void Encode_PitchOutsideRange_IsFoldedByOctaves()
    {
        var sequence = MelodyEvents.Encode([new MelodyNote(96, 0, 4), new MelodyNote(30, 4, 4)], 16);

        Assert.Equal(MelodyEvents.NoteOn(84 - 12), sequence.Events[0]);
        Assert.Equal(MelodyEvents.NoteOn(54), sequence.Events[4]);
    }

    [Fact]
    public void OctaveShiftToFit_HighTune_MovesItDownIntoRange()
    {
        Assert.Equal(-36, MelodyEvents.OctaveShiftToFit([100, 104, 107])); // -24 fits too; -36 is nearer the centre
        Assert.Equal(0, MelodyEvents.OctaveShiftToFit([60, 64, 67]));
    }

    [Fact]
    public void Decode_EventOutsideVocabulary_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MelodyEvents.Decode([2, 0, 99]));
    }

    [Fact]
    public void PositionOf_WrapsAtTheBar()
    {
        Assert.Equal(0, MelodyEvents.PositionOf(12, 12));
        Assert.Equal(5, MelodyEvents.PositionOf(21, 16));
    }

    [Fact]
    public void IsHeldOut_IsStableAndHoldsOutAboutOneInTen()
    {
        var names = Enumerable.Range(1, 2000).Select(i => $"tune{i}.mid").ToList();
        var share = names.Count(MelodyCorpus.IsHeldOut) / (double)names.Count;

        Assert.InRange(share, 0.07, 0.13);
        Assert.Equal(MelodyCorpus.IsHeldOut("Ashover1.MID"), MelodyCorpus.IsHeldOut("ashover1.mid"));
    }

    [Fact]
    public void PrimerText_ParsesNamesLengthsAndRests()
    {
        var notes = PrimerText.Parse("D4:2 F#4 r:2 Bb3:8 72");

        Assert.Equal([new MelodyNote(62, 0, 2), new MelodyNote(66, 2, 4), new MelodyNote(58, 8, 8), new MelodyNote(72, 16, 4)], notes);
        Assert.Equal(notes, PrimerText.Parse(PrimerText.Format(notes)));
    }

    [Theory]
    [InlineData("H4", "not a note")]
    [InlineData("C9", "outside the model's range")]
    [InlineData("C4:0", "a length is 1 to 64")]
    public void PrimerText_BadNote_SaysWhatIsWrong(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => PrimerText.Parse(text));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MusicalKey_ContainsItsScaleOnly()
    {
        var aMinor = new MusicalKey(9, MelodyMode.Minor);

        Assert.All(new[] { 57, 59, 60, 62, 64, 65, 67 }, p => Assert.True(aMinor.Contains(p)));
        Assert.False(aMinor.Contains(61));
        Assert.False(aMinor.Contains(68));
        Assert.Equal(69, aMinor.NearestTonic(67));
        Assert.True(MusicalKey.TryParseTonic("Bb", out var bb) && bb == 10);
    }
}
