using System.Security.Cryptography;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recognition;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Cli.Verbs;

/// <summary>
/// Hashed channel covariances (see <see cref="StyleEncoder.EncodeCovariances"/>) of the model view for
/// <c>eval styles-cv</c>, cached per image like the layer moments.
/// </summary>
internal static class CovarianceFeatures
{
    /// <summary>Stage 1, 2, 3 and the content layer.</summary>
    public static readonly int[] Layers = [1, 2, 3, 4];

    public const int DimensionsPerLayer = 1024;

    public static async Task<float[]?[]> ExtractAsync(StyleEncoder encoder, ImageDecoder decoder, string folder, IReadOnlyList<LabelledImage> rows, string cacheDirectory, CancellationToken ct)
    {
        var key = $"cov|{StyleEncoder.Version}|{string.Join(',', Layers)}|{DimensionsPerLayer}";
        var path = Path.Combine(cacheDirectory, $"cov-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16]}.bin");
        var cache = Read(path);
        var result = new float[]?[rows.Count];
        var todo = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (cache.TryGetValue(Key(folder, rows[i].Path), out var hit))
            {
                result[i] = hit;
            }
            else
            {
                todo.Add(i);
            }
        }

        var length = EncoderPreprocessing.TensorLength;
        await Parallel.ForEachAsync(todo.Chunk(16), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (chunk, token) =>
        {
            var kept = new List<int>();
            var batch = new float[chunk.Length * length];
            foreach (var i in chunk)
            {
                try
                {
                    var data = await File.ReadAllBytesAsync(Path.Combine(folder, rows[i].Path), token);
                    using var image = StyleFeatureExtractor.Render(decoder.Decode(data), EncoderView.Model224);
                    encoder.PrepareAnySize(image, batch.AsSpan(kept.Count * length, length));
                    kept.Add(i);
                }
                catch (Exception ex) when (ex is IOException or ImageRejectedException or UnknownImageFormatException)
                {
                    // The moments pass reports unreadable files; these rows stay null here.
                }
            }

            if (kept.Count == 0)
            {
                return;
            }

            var features = encoder.EncodeCovariances(batch, kept.Count, EncoderPreprocessing.Size, EncoderPreprocessing.Size, Layers, DimensionsPerLayer);
            for (var j = 0; j < kept.Count; j++)
            {
                result[kept[j]] = features[j];
            }
        });

        foreach (var i in todo.Where(i => result[i] is not null))
        {
            cache[Key(folder, rows[i].Path)] = result[i]!;
        }

        if (todo.Count > 0)
        {
            Write(path, cache);
        }

        return result;
    }

    private static string Key(string folder, string relative)
    {
        var info = new FileInfo(Path.Combine(folder, relative));
        var target = info.LinkTarget is null ? info : (FileInfo?)info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        return $"{Path.GetFullPath(target.FullName)}|{(target.Exists ? target.Length : -1)}";
    }

    private static Dictionary<string, float[]> Read(string path)
    {
        var cache = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return cache;
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        for (var n = 0; n < count; n++)
        {
            var key = reader.ReadString();
            var values = new float[reader.ReadInt32()];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            cache[key] = values;
        }

        return cache;
    }

    private static void Write(string path, Dictionary<string, float[]> cache)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new BinaryWriter(File.Create(path + ".tmp"));
        writer.Write(cache.Count);
        foreach (var (key, values) in cache)
        {
            writer.Write(key);
            writer.Write(values.Length);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }

        writer.Close();
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
