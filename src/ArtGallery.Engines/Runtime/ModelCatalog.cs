using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArtGallery.Engines.Runtime;

public sealed record ModelEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("source")] string Source);

/// <summary>
/// The models/manifest.json of a models folder: which files exist, where they came from and their
/// SHA-256, checked once per process before a file is used.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelEntry> _entries;
    private readonly ConcurrentDictionary<string, string> _verified = new(StringComparer.Ordinal);

    public ModelCatalog(string directory)
    {
        Directory = directory;
        var manifest = Path.Combine(directory, "manifest.json");
        if (!System.IO.File.Exists(manifest))
        {
            _entries = [];
            return;
        }

        using var stream = System.IO.File.OpenRead(manifest);
        var doc = JsonSerializer.Deserialize<Manifest>(stream) ?? new Manifest([]);
        _entries = doc.Models.ToDictionary(m => m.Id, StringComparer.Ordinal);
    }

    public string Directory { get; }

    public static ModelCatalog FromOptions(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ModelCatalog(options.ModelsDirectory ?? Path.Combine(AppContext.BaseDirectory, "models"));
    }

    public ModelEntry? Find(string id) => _entries.GetValueOrDefault(id);

    /// <summary>
    /// The path of a model file whose hash matches the manifest, or a reason why it cannot be used.
    /// </summary>
    public bool TryResolve(string id, out string path, out string problem)
    {
        path = string.Empty;
        if (!_entries.TryGetValue(id, out var entry))
        {
            problem = $"models/manifest.json in {Directory} has no entry '{id}'";
            return false;
        }

        var candidate = Path.Combine(Directory, entry.File);
        if (!System.IO.File.Exists(candidate))
        {
            problem = $"model file {candidate} is missing ({entry.Source})";
            return false;
        }

        var hash = _verified.GetOrAdd(candidate, HashFile);
        if (!string.Equals(hash, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            problem = $"model file {candidate} has SHA-256 {hash}, the manifest says {entry.Sha256}";
            return false;
        }

        path = candidate;
        problem = string.Empty;
        return true;
    }

    private static string HashFile(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private sealed record Manifest([property: JsonPropertyName("models")] IReadOnlyList<ModelEntry> Models);
}
