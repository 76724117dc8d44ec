namespace ArtGallery.Engines.Runtime;

/// <summary>
/// One model engine's state as /health prints it, the same shape for every engine: its name, whether
/// its model loaded, where it runs (ONNX Runtime's execution provider, or "none") and, if not
/// loaded, why.
/// </summary>
public sealed record EngineStatus(string Engine, bool Available, string ExecutionProvider, string? Problem);

/// <summary>A model engine (one ONNX session or model file) that reports an <see cref="EngineStatus"/>.</summary>
public interface IEngine
{
    EngineStatus Status { get; }
}
