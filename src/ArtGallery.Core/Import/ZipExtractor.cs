using System.IO.Compression;

namespace ArtGallery.Core.Import;

/// <summary>
/// Unpacks an uploaded ZIP into a staging folder, refusing what could escape or exhaust it: names
/// that climb out (.., absolute, drive letters), links, too-deep nesting, too many entries, and
/// entries or archives that unpack to more than the limits (counted while unpacking, since the
/// sizes a ZIP declares can lie).
/// </summary>
public static class ZipExtractor
{
    public sealed record Result(string? Folder, IReadOnlyList<PlannedRow> Problems);

    public static Result Extract(string zipPath, string folder, ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(zipPath);
        ArgumentNullException.ThrowIfNull(options);
        var name = Path.GetFileName(zipPath);
        var problems = new List<PlannedRow>();

        // Unpacked afresh each time: a resumed import plans the same rows from the same bytes.
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        try
        {
            using var archive = ZipFile.OpenRead(zipPath);
            if (archive.Entries.Count > options.MaxZipEntries)
            {
                return Refuse(folder, name, $"the ZIP has {archive.Entries.Count} entries; the limit is {options.MaxZipEntries}");
            }

            long total = 0;
            foreach (var entry in archive.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                var source = $"{name}!{entry.FullName}";
                if (entry.FullName.EndsWith('/') && entry.Length == 0)
                {
                    continue;
                }

                if (Refusal(entry, options) is { } reason)
                {
                    problems.Add(PlannedRow.Fail(source, reason));
                    continue;
                }

                var target = ImportPaths.Resolve(folder, entry.FullName.Replace('\\', '/'));
                if (target is null)
                {
                    problems.Add(PlannedRow.Fail(source, "the entry's name leaves the archive's folder (path traversal); not unpacked"));
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var written = Copy(entry, target, options.MaxEntryBytes, options.MaxZipBytes - total);
                if (written < 0)
                {
                    File.Delete(target);
                    if (-written > options.MaxZipBytes - total)
                    {
                        return Refuse(folder, name, $"the ZIP unpacks to more than {options.MaxZipBytes / (1024 * 1024)} MiB in all (a ZIP bomb?); nothing from it was imported");
                    }

                    problems.Add(PlannedRow.Fail(source, $"the entry unpacks to more than {options.MaxEntryBytes / (1024 * 1024)} MiB (a ZIP bomb?); not unpacked"));
                    continue;
                }

                total += written;
            }
        }
        catch (InvalidDataException ex)
        {
            return Refuse(folder, name, $"not a readable ZIP archive: {ex.Message}");
        }

        return new Result(folder, problems);
    }

    private static string? Refusal(ZipArchiveEntry entry, ImportOptions options)
    {
        var fullName = entry.FullName.Replace('\\', '/');
        if (fullName.Contains('\0', StringComparison.Ordinal) || fullName.StartsWith('/') || (fullName.Length > 1 && fullName[1] == ':'))
        {
            return "the entry has an absolute path; not unpacked";
        }

        var segments = fullName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s == ".."))
        {
            return "the entry's name climbs out of the archive (\"..\": path traversal); not unpacked";
        }

        if (segments.Length - 1 > options.MaxZipDepth)
        {
            return $"the entry is nested {segments.Length - 1} folders deep; the limit is {options.MaxZipDepth}";
        }

        // Unix mode bits live in the high half of the external attributes; 0xA000 is a symbolic link.
        const int FileTypeMask = 0xF000, SymbolicLink = 0xA000;
        return ((entry.ExternalAttributes >> 16) & FileTypeMask) == SymbolicLink ? "the entry is a symbolic link; not unpacked" : null;
    }

    /// <summary>Bytes written, or minus the bytes read when a limit was passed.</summary>
    private static long Copy(ZipArchiveEntry entry, string target, long entryLimit, long totalLeft)
    {
        using var input = entry.Open();
        using var output = File.Create(target);
        var buffer = new byte[81920];
        long written = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            written += read;
            if (written > entryLimit || written > totalLeft)
            {
                return -written;
            }

            output.Write(buffer, 0, read);
        }

        return written;
    }

    private static Result Refuse(string folder, string name, string reason)
    {
        Directory.Delete(folder, recursive: true);
        return new Result(null, [PlannedRow.Fail(name, reason)]);
    }
}
