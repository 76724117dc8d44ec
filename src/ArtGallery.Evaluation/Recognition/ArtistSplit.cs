using ArtGallery.Core.Import;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.Evaluation.Recognition;

/// <summary>
/// Train/test splits where no artist appears on both sides: a recogniser tested on unseen works by
/// artists it trained on learns "who" instead of "which movement" and looks better than it is.
/// </summary>
public static class ArtistSplit
{
    /// <summary>
    /// Holds out whole artists, in a seeded random order, until each style has about
    /// <paramref name="testFraction"/> of its works in test. Works without an artist are their own group.
    /// </summary>
    public static (IReadOnlyList<LabelledImage> Train, IReadOnlyList<LabelledImage> Test) Split(IReadOnlyList<LabelledImage> rows, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(testFraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(testFraction, 1);
        var groups = rows.GroupBy(r => r.Artist ?? $"path:{r.Path}", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(groups));
        var styleTotals = rows.GroupBy(r => r.Style, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var styleTest = styleTotals.Keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        var test = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            // An artist goes to test if their main style stays within its share; an artist too big
            // for that stays in train, so one prolific painter cannot empty a style's training set.
            var main = MainStyle(group);
            if (styleTest[main] + group.Count(r => r.Style == main) <= Math.Ceiling(testFraction * styleTotals[main]))
            {
                test.Add(group.Key);
                foreach (var row in group)
                {
                    styleTest[row.Style]++;
                }
            }
        }

        var isTest = rows.Select(r => test.Contains(r.Artist ?? $"path:{r.Path}")).ToArray();
        return ([.. rows.Where((_, i) => !isTest[i])], [.. rows.Where((_, i) => isTest[i])]);
    }

    /// <summary>
    /// Assigns every row to one of <paramref name="folds"/> folds, whole artists at a time (seeded
    /// order), each artist to the fold that has the fewest works of the artist's main style so far:
    /// every fold sees every style, and no artist is on both sides of any train/test pair.
    /// </summary>
    public static int[] Folds(IReadOnlyList<LabelledImage> rows, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var groups = rows.Select((r, i) => (Row: r, Index: i)).GroupBy(p => p.Row.Artist ?? $"path:{p.Row.Path}", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(groups));
        var perStyle = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var sizes = new int[folds];
        var fold = new int[rows.Count];
        foreach (var group in groups)
        {
            var main = MainStyle(group.Select(p => p.Row));
            var counts = perStyle.TryGetValue(main, out var c) ? c : perStyle[main] = new int[folds];
            var target = Enumerable.Range(0, folds).OrderBy(f => counts[f]).ThenBy(f => sizes[f]).First();
            foreach (var (row, index) in group)
            {
                fold[index] = target;
                sizes[target]++;
                if (row.Style == main)
                {
                    counts[target]++;
                }
            }
        }

        return fold;
    }

    /// <summary>The style most of an artist's works have (ties: the first by name).</summary>
    private static string MainStyle(IEnumerable<LabelledImage> works) =>
        works.GroupBy(r => r.Style, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

    /// <summary>A folder of symbolic links to <paramref name="sourceFolder"/>'s images plus its own labels.csv.</summary>
    public static void WriteLinkedFolder(string sourceFolder, string folder, IReadOnlyList<LabelledImage> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        LinkImages(sourceFolder, folder, [.. rows.Select(r => r.Path)]);
        File.WriteAllLines(Path.Combine(folder, LabelsFile.FileName),
            ["path,style,artist_slug", .. rows.Select(r => CsvText.Line([r.Path, r.Style, r.Artist]))]);
    }

    /// <summary>Symbolic links in <paramref name="folder"/> to <paramref name="sourceFolder"/>'s images at the same relative paths.</summary>
    public static void LinkImages(string sourceFolder, string folder, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Directory.CreateDirectory(folder);
        foreach (var path in paths)
        {
            var link = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (File.Exists(link) || Directory.Exists(link))
            {
                File.Delete(link);
            }

            File.CreateSymbolicLink(link, Path.GetFullPath(Path.Combine(sourceFolder, path)));
        }
    }
}
