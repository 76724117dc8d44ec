using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Core.Studio.Melody;

/// <summary>Composes melodies and renders them as MIDI and WAV for the studio page, the artwork player and the CLI.</summary>
public sealed class MelodyStudioService(MelodyGenerator generator)
{
    public bool IsAvailable => generator.IsAvailable;

    public string? UnavailableReason => generator.UnavailableReason;

    public string Provider => generator.Provider;

    /// <summary>
    /// Composes; bad settings, or a model that is not loaded, throw <see cref="StudioRequestException"/>
    /// with every problem in words.
    /// </summary>
    public Composition Compose(MelodySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!generator.IsAvailable)
        {
            throw new StudioRequestException($"the melody model is unavailable: {generator.UnavailableReason}");
        }

        try
        {
            return new Composition(settings, generator.Compose(settings.Request));
        }
        catch (ArgumentException ex)
        {
            throw new StudioRequestException(ex.Message, ex);
        }
    }

    /// <summary>
    /// <see cref="Compose"/> on the thread pool: a page's circuit (or a request's thread) never runs the
    /// model itself.
    /// </summary>
    public Task<Composition> ComposeAsync(MelodySettings settings, CancellationToken cancellationToken = default) =>
        Task.Run(() => Compose(settings), cancellationToken);

    public static byte[] Midi(Composition composition)
    {
        ArgumentNullException.ThrowIfNull(composition);
        var program = composition.Settings.Timbre switch
        {
            Timbre.Pluck => 6, // harpsichord
            Timbre.Square => 80, // square lead
            _ => 73, // flute
        };
        return MelodyMidi.Write(composition.Melody.Notes, composition.Settings.Request.StepsPerBar, composition.Settings.Request.Bpm, program);
    }

    public static byte[] Wav(Composition composition)
    {
        ArgumentNullException.ThrowIfNull(composition);
        return MelodySynth.RenderWav(composition.Melody.Notes, composition.Settings.Request.Bpm, composition.Settings.Timbre);
    }
}
