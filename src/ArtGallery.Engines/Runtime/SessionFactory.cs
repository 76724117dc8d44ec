namespace ArtGallery.Engines.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions on the preferred execution provider, falling back to the CPU when
/// the CUDA provider cannot be loaded (no GPU, no CUDA libraries, or the CPU-only build).
/// </summary>
public static partial class SessionFactory
{
    public const string CpuProvider = "CPUExecutionProvider";
    public const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>
    /// Builds session options for <paramref name="preference"/>. <paramref name="appendCuda"/> is the
    /// step that can fail; it is a parameter so the fallback is testable on a machine without a GPU.
    /// </summary>
    public static (SessionOptions Options, string Provider, string? FallbackReason) CreateOptions(
        ExecutionProviderPreference preference,
        int intraOpThreads,
        Action<SessionOptions> appendCuda)
    {
        ArgumentNullException.ThrowIfNull(appendCuda);
        var options = NewCpuOptions(intraOpThreads);
        if (preference == ExecutionProviderPreference.Cpu)
        {
            return (options, CpuProvider, null);
        }

        if (preference == ExecutionProviderPreference.Auto && !CudaDriverPresent())
        {
            return (options, CpuProvider, "no CUDA driver (libcuda.so.1) on this machine");
        }

        try
        {
            appendCuda(options);
            return (options, CudaProvider, null);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            if (preference == ExecutionProviderPreference.Cuda)
            {
                options.Dispose();
                throw new InvalidOperationException($"The CUDA execution provider was required but did not load: {FirstLine(ex.Message)}", ex);
            }

            // A failed append can leave the options half-configured; start again from clean CPU options.
            options.Dispose();
            return (NewCpuOptions(intraOpThreads), CpuProvider, FirstLine(ex.Message));
        }
    }

    /// <summary>
    /// A session for catalogue model <paramref name="modelId"/> (checked against its manifest SHA-256), or null with
    /// <paramref name="problem"/> saying why it cannot be used (missing file, wrong hash, no manifest entry).
    /// </summary>
    public static (InferenceSession Session, string Provider)? CreateFromCatalog(string modelId, EngineOptions engineOptions, ILogger logger, string engineName, out string problem)
    {
        ArgumentNullException.ThrowIfNull(engineOptions);
        if (!ModelCatalog.FromOptions(engineOptions).TryResolve(modelId, out var path, out problem))
        {
            return null;
        }

        return Create(File.ReadAllBytes(path), engineOptions, logger, engineName);
    }

    public static (InferenceSession Session, string Provider) Create(byte[] model, EngineOptions engineOptions, ILogger logger, string engineName)
    {
        ArgumentNullException.ThrowIfNull(engineOptions);
        var (options, provider, reason) = CreateOptions(
            engineOptions.ExecutionProvider,
            engineOptions.IntraOpThreads,
            o => o.AppendExecutionProvider_CUDA(engineOptions.CudaDeviceId));
        using (options)
        {
            var session = new InferenceSession(model, options);
            LogProvider(logger, engineName, provider, reason ?? "requested");
            return (session, provider);
        }
    }

    /// <summary>Whether the NVIDIA driver library loads: without it the CUDA provider cannot work.</summary>
    public static bool CudaDriverPresent()
    {
        if (!System.Runtime.InteropServices.NativeLibrary.TryLoad(OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1", out var handle))
        {
            return false;
        }

        System.Runtime.InteropServices.NativeLibrary.Free(handle);
        return true;
    }

    private static SessionOptions NewCpuOptions(int intraOpThreads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads > 0 ? intraOpThreads : Environment.ProcessorCount,
        };

        // Idle ORT threads would otherwise spin for a while after each run, taking the cores that
        // decode and write the next batch; sleeping costs little per batch.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Engine} runs on {Provider} ({Reason})")]
    private static partial void LogProvider(ILogger logger, string engine, string provider, string reason);
}
