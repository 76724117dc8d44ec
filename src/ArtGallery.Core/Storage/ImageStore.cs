using System.Security.Cryptography;
using ArtGallery.Engines.Imaging;

namespace ArtGallery.Core.Storage;

/// <summary>
/// Originals stored content-addressed by SHA-256 (originals/ab/abcdef….bin), derived JPEGs next to
/// them (derived/thumb/ab/abcdef….jpg). Writes go to a temporary file and are renamed into place,
/// so a crash never leaves a half-written image under its final name.
/// </summary>
public sealed class ImageStore
{
    private static readonly string[] StoreFolders = ["originals", "derived"];

    private readonly ImageDecoder _decoder;

    public ImageStore(IOptions<StorageOptions> options, ImageDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(options);
        Root = Path.GetFullPath(options.Value.DataDirectory);
        _decoder = decoder;
    }

    public string Root { get; }

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static bool IsSha256(string value) =>
        value.Length == 64 && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    public string OriginalPath(string sha256) => Path.Combine(Root, "originals", Shard(sha256), sha256 + ".bin");

    public string DerivedPath(string sha256, DerivedSize size) =>
        Path.Combine(Root, "derived", size.ToString().ToLowerInvariant(), Shard(sha256), sha256 + ".jpg");

    public bool HasOriginal(string sha256) => File.Exists(OriginalPath(sha256));

    public async Task PutOriginalAsync(string sha256, byte[] data, CancellationToken cancellationToken = default)
    {
        var path = OriginalPath(sha256);
        if (File.Exists(path))
        {
            return;
        }

        await WriteAtomicallyAsync(path, stream => stream.WriteAsync(data, cancellationToken).AsTask());
    }

    public Task<byte[]> ReadOriginalAsync(string sha256, CancellationToken cancellationToken = default) =>
        File.ReadAllBytesAsync(OriginalPath(sha256), cancellationToken);

    /// <summary>Writes every derived size of a decoded original that is not on disk yet.</summary>
    public async Task WriteDerivedAsync(string sha256, SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image, CancellationToken cancellationToken = default)
    {
        foreach (var size in Enum.GetValues<DerivedSize>())
        {
            var path = DerivedPath(sha256, size);
            if (!File.Exists(path))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await WriteAtomicallyAsync(path, stream =>
                {
                    DerivedImage.WriteJpeg(image, size, stream);
                    return Task.CompletedTask;
                });
            }
        }
    }

    /// <summary>The path of a derived image, made from the original if it is missing; null if there is no original.</summary>
    public async Task<string?> EnsureDerivedAsync(string sha256, DerivedSize size, CancellationToken cancellationToken = default)
    {
        var path = DerivedPath(sha256, size);
        if (File.Exists(path))
        {
            return path;
        }

        if (!HasOriginal(sha256))
        {
            return null;
        }

        using var image = _decoder.Decode(await ReadOriginalAsync(sha256, cancellationToken));
        await WriteDerivedAsync(sha256, image, cancellationToken);
        return path;
    }

    /// <summary>
    /// Deletes the temporary files a killed writer left behind (<c>kill -9</c> mid-import leaves
    /// <c>*.tmp</c> under derived/ and originals/): those of processes no longer running, and any older
    /// than <paramref name="olderThan"/> (a reused process id). A live writer's file is left alone, so
    /// the web app and a CLI import may share the store. Returns how many were deleted.
    /// </summary>
    public int SweepStaleTempFiles(TimeSpan olderThan)
    {
        var deleted = 0;
        foreach (var folder in StoreFolders.Select(f => Path.Combine(Root, f)).Where(Directory.Exists))
        {
            foreach (var temp in Directory.EnumerateFiles(folder, "*.tmp", SearchOption.AllDirectories))
            {
                try
                {
                    var stale = DateTime.UtcNow - File.GetLastWriteTimeUtc(temp) > olderThan || !WriterIsAlive(temp);
                    if (stale)
                    {
                        File.Delete(temp);
                        deleted++;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Renamed or deleted by its writer meanwhile, or not ours to delete: nothing to sweep.
                }
            }
        }

        return deleted;
    }

    /// <summary>Deletes an original and its derived images (an expired upload).</summary>
    public void DeleteImage(string sha256)
    {
        foreach (var path in Enum.GetValues<DerivedSize>().Select(size => DerivedPath(sha256, size)).Prepend(OriginalPath(sha256)))
        {
            File.Delete(path);
        }
    }

    /// <summary>Originals on disk last written before <paramref name="before"/>, by hash.</summary>
    public IEnumerable<string> OriginalsWrittenBefore(DateTimeOffset before)
    {
        var folder = Path.Combine(Root, "originals");
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.bin", SearchOption.AllDirectories))
        {
            var sha = Path.GetFileNameWithoutExtension(file);
            if (IsSha256(sha) && File.GetLastWriteTimeUtc(file) < before.UtcDateTime)
            {
                yield return sha;
            }
        }
    }

    /// <summary>The writer's process id is the name's second-to-last part ({path}.{pid}.{guid}.tmp).</summary>
    private static bool WriterIsAlive(string temp)
    {
        var parts = Path.GetFileName(temp).Split('.');
        if (parts.Length < 4 || !int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Shard(string sha256)
    {
        if (!IsSha256(sha256))
        {
            throw new ArgumentException("Not a lowercase hex SHA-256.", nameof(sha256));
        }

        return sha256[..2];
    }

    private static async Task WriteAtomicallyAsync(string path, Func<Stream, Task> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await write(stream);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
