using System.Security.Cryptography;
using ArtGallery.Core.Storage;

namespace ArtGallery.Core.Import;

/// <summary>Turns an import request into its rows: detects the layout, unpacks ZIPs, reads sidecars.</summary>
public sealed class ImportPlanner(IOptions<ImportOptions> options, IOptions<StorageOptions> storage)
{
    private readonly ImportOptions _options = options.Value;

    /// <summary>The name every unpacked ZIP's folder under <see cref="StagingRoot"/> starts with.</summary>
    public const string ZipFolderPrefix = "zip-";

    /// <summary>Where ZIPs are unpacked and web uploads are kept.</summary>
    public string StagingRoot => Path.GetFullPath(_options.StagingDirectory ?? Path.Combine(storage.Value.DataDirectory, "imports"));

    /// <summary>Where web uploads are kept, a folder each.</summary>
    public string UploadsRoot => Path.Combine(StagingRoot, "uploads");

    /// <summary>The folder a ZIP is unpacked into: named by its content, so the same ZIP unpacks to the same place.</summary>
    public string ZipFolderFor(string zipPath) => Path.Combine(StagingRoot, ZipFolderPrefix + HashOf(zipPath)[..24]);

    /// <summary>The rows of the import; throws only for an unusable request (no such path, a bad mapping).</summary>
    public ImportPlan Plan(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = Path.GetFullPath(request.Path);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"No file or folder {path}.", path);
        }

        var mapping = new ColumnMapping(request.Mapping);
        var format = request.Format == ImportFormat.Auto ? Detect(path) : request.Format;
        if (format != ImportFormat.Zip)
        {
            return PlanLocal(path, format, mapping);
        }

        if (!File.Exists(path))
        {
            throw new ArgumentException($"--format zip needs a .zip file; {path} is a folder.");
        }

        var folder = ZipFolderFor(path);
        var extraction = ZipExtractor.Extract(path, folder, _options);
        if (extraction.Folder is null)
        {
            return new ImportPlan(ImportFormat.Zip, path, extraction.Problems);
        }

        var inner = PlanLocal(extraction.Folder, Detect(extraction.Folder), mapping);
        return new ImportPlan(ImportFormat.Zip, extraction.Folder, [.. extraction.Problems, .. inner.Rows]);
    }

    /// <summary>A .zip, .json (IIIF) or .csv file by extension; a folder by what it holds.</summary>
    public static ImportFormat Detect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".zip" => ImportFormat.Zip,
                ".json" => ImportFormat.Iiif,
                ".csv" => ImportFormat.Csv,
                var other => throw new ArgumentException($"Cannot tell the format of {Path.GetFileName(path)} ({other}); give --format csv|zip|wikiart|iiif."),
            };
        }

        if (Directory.EnumerateFiles(path, "*.csv").Any())
        {
            return ImportFormat.Csv;
        }

        if (Directory.EnumerateFiles(path, "*.json").Any())
        {
            return ImportFormat.Iiif;
        }

        return ImportPaths.Images(path, SearchOption.TopDirectoryOnly).Count == 0 && ImportPaths.Images(path, SearchOption.AllDirectories).Count > 0
            ? ImportFormat.WikiArt
            : ImportFormat.Folder;
    }

    /// <summary>Identifies an import for resuming: the same path, layout, mapping and (for files) bytes.</summary>
    public static string JobKey(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = Path.GetFullPath(request.Path);
        var content = File.Exists(path) ? $"{new FileInfo(path).Length}:{File.GetLastWriteTimeUtc(path).Ticks}" : "folder";
        var mapping = string.Join(";", request.Mapping.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));
        var key = $"{path}|{request.Format}|{mapping}|{content}";
        return "import:" + ImageStore.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(key))[..48];
    }

    private ImportPlan PlanLocal(string path, ImportFormat format, ColumnMapping mapping)
    {
        var isFile = File.Exists(path);
        var root = isFile ? Path.GetDirectoryName(path)! : path;
        switch (format)
        {
            case ImportFormat.Csv:
            {
                var csv = isFile ? path : Sidecar(root, "*.csv", "metadata.csv");
                var referenced = new HashSet<string>(StringComparer.Ordinal);
                var rows = CsvSidecar.Plan(csv, root, mapping, _options.MaxSidecarBytes, referenced);
                if (rows.Any(r => r.Decided == Ingestion.IngestOutcome.Failed && r.Source == Path.GetFileName(csv)))
                {
                    // The file itself is unusable: importing its images without their metadata would surprise.
                    return new ImportPlan(format, root, rows);
                }

                return new ImportPlan(format, root, [.. rows, .. ImportPaths.Unlisted(root, referenced), .. ImportPaths.Others(root)]);
            }

            case ImportFormat.Iiif:
                return new ImportPlan(format, root, IiifManifestReader.Plan(isFile ? path : Sidecar(root, "*.json", "manifest.json"), mapping, _options.MaxSidecarBytes));
            case ImportFormat.WikiArt:
                return new ImportPlan(format, root, WikiArtLayout.Plan(isFile ? throw new ArgumentException("--format wikiart needs a folder.") : root));
            case ImportFormat.Folder:
                return new ImportPlan(format, root, FolderLayout.Plan(isFile ? throw new ArgumentException("--format folder needs a folder.") : root));
            default:
                throw new ArgumentException($"--format {format.ToString().ToLowerInvariant()} does not apply to {path}.");
        }
    }

    private static string Sidecar(string root, string pattern, string preferred)
    {
        var candidates = Directory.EnumerateFiles(root, pattern).Order(StringComparer.Ordinal).ToList();
        var named = candidates.FirstOrDefault(c => Path.GetFileName(c).Equals(preferred, StringComparison.OrdinalIgnoreCase));
        return named ?? (candidates.Count == 1 ? candidates[0]
            : candidates.Count == 0 ? throw new FileNotFoundException($"{root} has no {pattern} file.")
            : throw new ArgumentException($"{root} has several {pattern} files; name one ({preferred} is used when present) or pass the file itself."));
    }

    private static string HashOf(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
