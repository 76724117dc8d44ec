namespace ArtGallery.Engines.Runtime;

/// <summary>Which execution provider a session asks for.</summary>
public enum ExecutionProviderPreference
{
    /// <summary>CUDA when its provider library and a GPU load, else CPU.</summary>
    Auto,
    Cpu,
    Cuda,
}

public sealed class EngineOptions
{
    public const string Section = "Engines";

    public ExecutionProviderPreference ExecutionProvider { get; set; } = ExecutionProviderPreference.Auto;

    /// <summary>Folder holding models/manifest.json and the ONNX files; defaults to the app's own models/ folder.</summary>
    public string? ModelsDirectory { get; set; }

    /// <summary>Threads for one ONNX Runtime session; 0 means one per core.</summary>
    public int IntraOpThreads { get; set; }

    public int CudaDeviceId { get; set; }
}
