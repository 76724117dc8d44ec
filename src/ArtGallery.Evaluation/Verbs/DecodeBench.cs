using System.Runtime;
using System.Runtime.InteropServices;
using ArtGallery.Engines.Imaging;
using ArtGallery.IntegrationTests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>bench decode</c>: the hostile-file suite of the integration tests (<see cref="HostileImages"/>,
/// compiled in from tests/) plus two ordinary photographs' worth of pixels, each decoded in one run by
/// the product's guarded ImageSharp path (<see cref="ImageDecoder"/>) and by SkiaSharp (SKCodec with the
/// same size and dimension limits checked before any pixels are allocated). ADR 0014 quotes its figures.
/// </summary>
internal static class DecodeBench
{
    private const string ImageSharpName = "imagesharp_guarded";
    private const string SkiaName = "skiasharp";
    private static readonly int[] FirstThenSecond = [0, 1];
    private static readonly int[] SecondThenFirst = [1, 0];

    public static Command Create()
    {
        var dir = new Option<string?>("--dir") { Description = "decode every file in this folder instead of the built-in suite" };
        var write = new Option<string?>("--write") { Description = "write the built-in suite (hostile files and normal images) to this folder and stop" };
        var command = new Command("decode", "Guarded ImageSharp against SkiaSharp on the hostile-file suite and normal images: outcome, ms, memory growth per file.") { dir, write };
        command.SetAction(parse =>
        {
            var files = parse.GetValue(dir) is { } folder
                ? Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)
                    .Select(path => new HostileFile(Path.GetFileName(path), Path.GetFileName(path), File.ReadAllBytes(path))).ToList()
                : BuiltInSuite();
            if (parse.GetValue(write) is { } target)
            {
                Directory.CreateDirectory(target);
                foreach (var file in files)
                {
                    File.WriteAllBytes(Path.Combine(target, file.Name), file.Data);
                }

                Console.WriteLine($"wrote {files.Count} files to {target}");
                return 0;
            }

            var limits = ImageLimits.Default;
            var imageSharp = new ImageDecoder(limits);
            Func<byte[], string>[] sides = [data => DecodeWithImageSharp(imageSharp, data), data => DecodeWithSkia(limits, data)];
            string[] names = [ImageSharpName, SkiaName];

            // One untimed decode each, so JIT and native library loading are not charged to the first file.
            var warmUp = Painted(new JpegEncoder { Quality = 90 }, 640, 480);
            foreach (var side in sides)
            {
                side(warmUp);
            }

            var results = names.ToDictionary(n => n, _ => new List<Measurement>());
            Console.WriteLine($"| kind | bytes | {ImageSharpName} | ms | managed MB | RSS MB | {SkiaName} | ms | managed MB | RSS MB |");
            Console.WriteLine("|---|---:|---|---:|---:|---:|---|---:|---:|---:|");
            for (var i = 0; i < files.Count; i++)
            {
                var file = files[i];
                var row = new Measurement[2];
                // Alternate which decoder goes first, so drift on a shared machine hits both alike.
                foreach (var s in i % 2 == 0 ? FirstThenSecond : SecondThenFirst)
                {
                    row[s] = Measure(sides[s], file.Data);
                    results[names[s]].Add(row[s]);
                }

                Console.WriteLine($"| {Cell(file.Kind)} | {file.Data.Length:N0} | {Cell(row[0].Outcome)} | {row[0].Ms:F0} | {row[0].ManagedMb:F0} | {row[0].RssMb:F0} | " +
                    $"{Cell(row[1].Outcome)} | {row[1].Ms:F0} | {row[1].ManagedMb:F0} | {row[1].RssMb:F0} |");
            }

            Console.WriteLine();
            Console.WriteLine($"files={files.Count} " + string.Join(' ', names.Select(n => Summary(n, results[n]))));
            return 0;
        });
        return command;
    }

    /// <summary>The 52 hostile kinds of the integration suite, then normal images of a camera's size.</summary>
    private static List<HostileFile> BuiltInSuite() =>
    [
        .. HostileImages.All(),
        new("normal 2000×1500 JPEG (quality 90)", "normal.jpg", Painted(new JpegEncoder { Quality = 90 }, 2000, 1500)),
        new("normal 2000×1500 PNG", "normal.png", Painted(new PngEncoder(), 2000, 1500)),
        new("normal 4000×3000 JPEG (quality 90)", "normal-12mp.jpg", Painted(new JpegEncoder { Quality = 90 }, 4000, 3000)),
    ];

    private static string DecodeWithImageSharp(ImageDecoder decoder, byte[] data)
    {
        try
        {
            using var image = decoder.Decode(data);
            return $"decoded {image.Width}×{image.Height}";
        }
        catch (ImageRejectedException ex)
        {
            return $"refused: {ex.Message}";
        }
    }

    /// <summary>
    /// SkiaSharp as a careful caller would use it on strangers' files: the same byte, pixel and side
    /// limits, read from SKCodec's header before a pixel buffer exists; first frame only; any result
    /// but Success (IncompleteInput for a cut file, ErrorInInput for damage) is a refusal.
    /// </summary>
    private static string DecodeWithSkia(ImageLimits limits, byte[] data)
    {
        if (data.Length == 0 || data.Length > limits.MaxFileBytes)
        {
            return "refused: file size";
        }

        using var codec = SKCodec.Create(new SKMemoryStream(data), out var created);
        if (codec is null)
        {
            return $"refused: {created}";
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > limits.MaxSide || height > limits.MaxSide || (long)width * height > limits.MaxPixels)
        {
            return $"refused: {width}×{height} over the limits";
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        return result == SKCodecResult.Success ? $"decoded {width}×{height}" : $"refused: {result} ({width}×{height})";
    }

    private static Measurement Measure(Func<byte[], string> decode, byte[] data)
    {
        // Give back what earlier files left resident (ImageSharp's pool, free GC regions, glibc's free
        // lists), so a decode that reuses it still shows as growth, and both sides start level.
        Configuration.Default.MemoryAllocator.ReleaseRetainedResources();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        if (OperatingSystem.IsLinux())
        {
            _ = MallocTrim(0);
        }

        var rssBefore = Environment.WorkingSet;
        var peak = rssBefore;
        using var done = new CancellationTokenSource();
        // RSS is sampled while the decode runs: a bomb's buffers may be freed before it returns.
        var sampler = new Thread(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var now = Environment.WorkingSet;
                if (now > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, now);
                }

                Thread.Sleep(2);
            }
        }) { IsBackground = true };
        sampler.Start();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        string outcome;
        try
        {
            outcome = decode(data);
        }
#pragma warning disable CA1031 // a bench reports every escaping exception as a crash of that decoder, and goes on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = $"CRASH {ex.GetType().Name}: {ex.Message}";
        }

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        done.Cancel();
        sampler.Join();
        var rss = Math.Max(Interlocked.Read(ref peak), Environment.WorkingSet) - rssBefore;
        return new Measurement(outcome, clock.Elapsed.TotalMilliseconds, allocated / 1048576.0, Math.Max(0, rss) / 1048576.0);
    }

    private static string Summary(string name, List<Measurement> runs)
    {
        var p50 = Timing.Median([.. runs.Select(r => r.Ms)]);
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: refused={runs.Count(r => r.Outcome.StartsWith("refused", StringComparison.Ordinal))} " +
            $"decoded={runs.Count(r => r.Outcome.StartsWith("decoded", StringComparison.Ordinal))} " +
            $"crashes={runs.Count(r => r.Outcome.StartsWith("CRASH", StringComparison.Ordinal))} " +
            $"p50_ms={p50:F0} max_ms={runs.Max(r => r.Ms):F0} max_managed_mb={runs.Max(r => r.ManagedMb):F0} max_rss_growth_mb={runs.Max(r => r.RssMb):F0}");
    }

    private static string Cell(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Replace('|', '/');
        return flat.Length <= 90 ? flat : string.Concat(flat.AsSpan(0, 89), "…");
    }

    /// <summary>A gradient with fine texture, so the encoders have detail to spend bytes on, as in a photograph.</summary>
    private static byte[] Painted(IImageEncoder encoder, int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var grain = (byte)((x * 7919) ^ (y * 104_729) ^ (x * y)) & 31;
                    row[x] = new Rgb24((byte)((x * 255 / width) ^ grain), (byte)((y * 255 / height) + grain), (byte)(((x + y) / 16) ^ grain));
                }
            }
        });
        using var buffer = new MemoryStream();
        image.Save(buffer, encoder);
        return buffer.ToArray();
    }

    // SYSLIB1054: LibraryImport would need unsafe code enabled in this project for one libc call.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054

    private sealed record Measurement(string Outcome, double Ms, double ManagedMb, double RssMb);
}
