using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Ingestion;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using ArtGallery.Engines.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ArtGallery.Evaluation.Recognition;

/// <summary>How an image is shown to the network.</summary>
public enum EncoderView
{
    /// <summary>
    /// The stored crop: the 256-px model derivative (JPEG), centre-cropped to 224×224, prepared by
    /// the embedding pipeline's own <see cref="EmbeddingPipeline.PrepareCrop"/>.
    /// </summary>
    Model224,

    /// <summary>
    /// The stored whole view: the display derivative (JPEG) at shorter side 448 (longer side at most
    /// 896), nothing cropped, prepared by the embedding pipeline's own <see cref="EmbeddingPipeline.PrepareWhole"/>.
    /// </summary>
    Full448,

    /// <summary>
    /// The four 224×224 quarters of the image's centre square at 448 px (<see cref="Quarter448TopLeft"/>
    /// and the next three): texture at twice the model view's scale, each quarter a separate view.
    /// </summary>
    Quarter448TopLeft,
    Quarter448TopRight,
    Quarter448BottomLeft,
    Quarter448BottomRight,
}

/// <summary>
/// Layer moments of labelled image folders for the evaluation, cached per folder and view (the
/// encoder's version is part of the cache key) so trying descriptors and heads is instant after
/// the first pass.
/// </summary>
public sealed class StyleFeatureExtractor(StyleEncoder encoder, ImageDecoder decoder)
{
    /// <summary>Distinguishes caches of encoders with extra layers (see <see cref="StyleEncoder.WithExtraLayers"/>).</summary>
    public string CacheVariant { get; init; } = string.Empty;

    public sealed record Result(IReadOnlyList<LayerMoments[]?> Moments, IReadOnlyList<string> Failures);

    public async Task<Result> ExtractAsync(string folder, IReadOnlyList<LabelledImage> images, EncoderView view, string? cacheDirectory,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var cachePath = cacheDirectory is null ? null : Path.Combine(cacheDirectory, CacheName(view, CacheVariant));
        var cached = cachePath is null ? [] : ReadCache(cachePath);
        var moments = new LayerMoments[]?[images.Count];
        var failures = new ConcurrentBag<string>();
        var todo = new List<int>();
        for (var i = 0; i < images.Count; i++)
        {
            if (cached.TryGetValue(CacheKey(folder, images[i].Path), out var hit))
            {
                moments[i] = hit;
            }
            else
            {
                todo.Add(i);
            }
        }

        var done = images.Count - todo.Count;
        progress?.Report(done);
        var chunkSize = view == EncoderView.Full448 ? 1 : 16;
        await Parallel.ForEachAsync(todo.Chunk(chunkSize), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            var prepared = new List<(int Index, WholeTensor Tensor)>();
            foreach (var i in chunk)
            {
                try
                {
                    var data = await File.ReadAllBytesAsync(Path.Combine(folder, images[i].Path), ct);
                    prepared.Add((i, Prepare(decoder.Decode(data), view)));
                }
                catch (Exception ex) when (ex is IOException or ImageRejectedException or UnauthorizedAccessException)
                {
                    failures.Add($"{images[i].Path}: {ex.Message}");
                }
            }

            if (prepared.Count == 0)
            {
                return;
            }

            var (height, width) = (prepared[0].Tensor.Height, prepared[0].Tensor.Width);
            var length = EncoderPreprocessing.Channels * height * width;
            var batch = new float[prepared.Count * length];
            for (var j = 0; j < prepared.Count; j++)
            {
                prepared[j].Tensor.Tensor.AsSpan(0, length).CopyTo(batch.AsSpan(j * length, length));
            }

            var result = encoder.EncodeMoments(batch, prepared.Count, height, width);
            for (var j = 0; j < prepared.Count; j++)
            {
                moments[prepared[j].Index] = result[j];
            }

            progress?.Report(Interlocked.Add(ref done, chunk.Length));
        });

        if (cachePath is not null && todo.Count > 0)
        {
            foreach (var i in todo.Where(i => moments[i] is not null))
            {
                cached[CacheKey(folder, images[i].Path)] = moments[i]!;
            }

            WriteCache(cachePath, cached);
        }

        return new Result(moments, [.. failures.Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The network's input for <paramref name="view"/>; disposes <paramref name="original"/>. The two
    /// stored views go the app's own way: the derivative the image store writes
    /// (<see cref="DerivedImage.WriteJpeg"/>), then the embedding pipeline's preparation.
    /// </summary>
    private WholeTensor Prepare(Image<Rgb24> original, EncoderView view)
    {
        using (original)
        {
            switch (view)
            {
                case EncoderView.Model224:
                    var tensor = new float[EncoderPreprocessing.TensorLength];
                    EmbeddingPipeline.PrepareCrop(decoder, encoder, Derived(original, DerivedSize.Model), tensor);
                    return new WholeTensor(tensor, EncoderPreprocessing.Size, EncoderPreprocessing.Size);
                case EncoderView.Full448:
                    return EmbeddingPipeline.PrepareWhole(decoder, encoder, Derived(original, DerivedSize.Display));
                default:
                    var quarter = view - EncoderView.Quarter448TopLeft;
                    using (var square = original.Clone(x => x.Resize(new ResizeOptions { Size = new SixLabors.ImageSharp.Size(448, 448), Mode = ResizeMode.Crop, Sampler = KnownResamplers.Triangle })))
                    {
                        square.Mutate(x => x.Crop(new Rectangle(quarter % 2 * 224, quarter / 2 * 224, 224, 224)));
                        var quarterTensor = new float[EncoderPreprocessing.TensorLength];
                        encoder.PrepareAnySize(square, quarterTensor);
                        return new WholeTensor(quarterTensor, EncoderPreprocessing.Size, EncoderPreprocessing.Size);
                    }
            }
        }
    }

    private static byte[] Derived(Image<Rgb24> original, DerivedSize size)
    {
        using var jpeg = new MemoryStream();
        DerivedImage.WriteJpeg(original, size, jpeg);
        return jpeg.ToArray();
    }

    /// <summary>
    /// One cache per view and encoder version, shared by every folder (splits link to the same files).
    /// The whole view's key names its source: before it was read from the display derivative it was
    /// resized from the original, and those moments must not be mistaken for the stored view's.
    /// </summary>
    private static string CacheName(EncoderView view, string variant)
    {
        var key = $"{view}|{StyleEncoder.Version}{variant}{(view == EncoderView.Full448 ? "|display-derivative" : string.Empty)}";
        return $"moments-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16]}.bin";
    }

    /// <summary>The image's real path (through links) and size: a changed file is a new entry.</summary>
    private static string CacheKey(string folder, string relative)
    {
        var path = Path.Combine(folder, relative);
        var info = new FileInfo(path);
        var target = info.LinkTarget is null ? info : (FileInfo?)info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        return $"{Path.GetFullPath(target.FullName)}|{(target.Exists ? target.Length : -1)}";
    }

    private static Dictionary<string, LayerMoments[]> ReadCache(string path)
    {
        var cache = new Dictionary<string, LayerMoments[]>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return cache;
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            var count = reader.ReadInt32();
            for (var n = 0; n < count; n++)
            {
                var key = reader.ReadString();
                var layers = new LayerMoments[reader.ReadInt32()];
                for (var l = 0; l < layers.Length; l++)
                {
                    var channels = reader.ReadInt32();
                    layers[l] = new LayerMoments(ReadFloats(reader, channels), ReadFloats(reader, channels));
                }

                cache[key] = layers;
            }
        }
        catch (EndOfStreamException)
        {
            // A cache cut short by a killed run: start again rather than trust part of it.
            cache.Clear();
        }

        return cache;
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static void WriteCache(string path, Dictionary<string, LayerMoments[]> cache)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(cache.Count);
            foreach (var (key, layers) in cache)
            {
                writer.Write(key);
                writer.Write(layers.Length);
                foreach (var layer in layers)
                {
                    writer.Write(layer.Means.Length);
                    writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(layer.Means.AsSpan()));
                    writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(layer.Stds.AsSpan()));
                }
            }
        }

        File.Move(temporary, path, overwrite: true);
    }
}
