
namespace ArtGallery.Core.Recognition;

/// <summary>
/// Wakes the recognition worker when curators change tags of any vocabulary (review decisions, tagging), so the
/// model retrains and its suggestions refresh within seconds instead of at the next poll.
/// </summary>
public sealed class RecognitionSignal : WakeSignal;
