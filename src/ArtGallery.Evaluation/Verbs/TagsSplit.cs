using ArtGallery.Core.Ingestion;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>eval tags-split</c>: an artist-disjoint train/test split of a tag file's images, as two folders
/// of symbolic links (the images themselves are never copied), for <c>eval tags</c>. Whole artists go
/// to test, in a seeded order, until each tag value has about the asked share of its works there; an
/// artist too prolific for that share stays in train (<see cref="ArtistSplit.Split"/>).
/// </summary>
internal static class TagsSplit
{
    public static Command Create()
    {
        var source = new Option<DirectoryInfo>("--source") { Description = "Folder of images the tag file's paths are relative to.", Required = true };
        var labels = new Option<FileInfo>("--labels") { Description = "CSV path,<column> (0/1 or tag names).", Required = true };
        var column = new Option<string?>("--column") { Description = "The label column, when the file has several." };
        var artists = new Option<FileInfo?>("--artists") { Description = "labels.csv (path,style,artist_slug) naming each image's artist; default: --source's labels.csv." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write train/ and test/ into (links to the images); keep it under .data/, never committed.", Required = true };
        var fraction = new Option<double>("--test-fraction") { Description = "Share of each tag value's works held out for test.", DefaultValueFactory = _ => 0.3 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("tags-split", "Split a tag file's images by artist (no artist in both halves) into train/ and test/ folders of links.")
        {
            source, labels, column, artists, output, fraction, seed,
        };
        command.SetAction(parse =>
        {
            var sourceDir = parse.GetValue(source)!.FullName;
            var root = parse.GetValue(output)!.FullName;
            try
            {
                var labelFile = parse.GetValue(labels)!;
                if (!labelFile.Exists)
                {
                    throw new InvalidDataException($"the label file {labelFile.FullName} does not exist.");
                }

                var (_, rows) = TagLabels.Parse(File.ReadAllText(labelFile.FullName), parse.GetValue(column), labelFile.Name);
                var artistFolder = parse.GetValue(artists) is { } a ? a.DirectoryName! : sourceDir;
                var artistRows = parse.GetValue(artists) is { } file
                    ? LabelsFile.Parse(File.ReadLines(file.FullName), file.Name)
                    : LabelsFile.Read(artistFolder);
                var artistOf = artistRows.GroupBy(r => r.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Artist, StringComparer.Ordinal);
                var missing = rows.Where(r => !File.Exists(Path.Combine(sourceDir, r.Path))).Select(r => r.Path).ToList();
                if (missing.Count > 0)
                {
                    throw new InvalidDataException($"{missing.Count} labelled images are not in {sourceDir} (e.g. {string.Join(", ", missing.Take(3))}).");
                }

                if (Directory.Exists(Path.Combine(root, "train")) || Directory.Exists(Path.Combine(root, "test")))
                {
                    throw new InvalidDataException($"{root} already holds a split: remove its train/ and test/ or choose another --out (an old split's links would mix with the new one's).");
                }

                // Works without a known artist are each their own group (ArtistSplit's rule).
                var labelled = rows.Select(r => new LabelledImage(r.Path, r.Tag, artistOf.GetValueOrDefault(r.Path))).ToList();
                var unknown = labelled.Count(r => r.Artist is null);
                var (trainRows, testRows) = ArtistSplit.Split(labelled, parse.GetValue(fraction), parse.GetValue(seed));
                foreach (var (name, part) in new[] { ("train", trainRows), ("test", testRows) })
                {
                    ArtistSplit.LinkImages(sourceDir, Path.Combine(root, name), [.. part.Select(r => r.Path)]);
                    var values = string.Join(", ", part.GroupBy(r => r.Style, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));
                    AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name}: works={part.Count} artists={part.Select(r => r.Artist).Distinct().Count()} ({Markup.Escape(values)}) → {Markup.Escape(Path.Combine(root, name))}"));
                }

                var shared = trainRows.Select(r => r.Artist).OfType<string>().Intersect(testRows.Select(r => r.Artist).OfType<string>(), StringComparer.Ordinal).Count();
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"artists in both halves: {shared}; works without a known artist: {unknown}"));
                return 0;
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }
        });
        return command;
    }
}
