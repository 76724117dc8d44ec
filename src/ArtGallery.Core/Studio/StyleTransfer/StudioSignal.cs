
namespace ArtGallery.Core.Studio.StyleTransfer;

/// <summary>Wakes the style-transfer worker when a job is queued.</summary>
public sealed class StudioSignal : WakeSignal;
