using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Core.Studio.Melody;

/// <summary>A compose request plus how to voice it: what the studio page and the artwork player hold.</summary>
public sealed record MelodySettings(MelodyRequest Request, Timbre Timbre)
{
    public static MelodySettings Default { get; } = new(new MelodyRequest { Key = new MusicalKey(2, MelodyMode.Major) }, Timbre.Flute);
}

/// <summary>A composed melody with its voice; audio and MIDI are rendered from it on demand.</summary>
public sealed record Composition(MelodySettings Settings, ArtGallery.Engines.Studio.Melody.Melody Melody)
{
    /// <summary>Share of the sampled (not primer) notes that lie in the requested key; null without a key.</summary>
    public double? InKeyShare
    {
        get
        {
            if (Settings.Request.Key is not { } key)
            {
                return null;
            }

            var sampled = Melody.Notes.Where(n => n.StartStep >= Melody.PrimerSteps).ToList();
            return sampled.Count == 0 ? null : sampled.Count(n => key.Contains(n.Pitch)) / (double)sampled.Count;
        }
    }
}
