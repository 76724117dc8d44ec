
namespace ArtGallery.Core.Embeddings;

/// <summary>Wakes the embedding worker when new works arrive, instead of waiting for its next poll.</summary>
public sealed class EmbeddingSignal : WakeSignal;
