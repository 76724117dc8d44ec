using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recognition;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>eval tags</c>: the recogniser's head for one vocabulary (one tag present or absent, or one of
/// several tags), trained on <c>--train</c>'s labelled works only and scored on <c>--test</c>'s. The
/// descriptor and head are the product's, through the product's own code: each work's two stored
/// views prepared as the embedding pipeline prepares them (<see cref="EncoderView.Model224"/>,
/// <see cref="EncoderView.Full448"/>), read as <see cref="RecogniserFeatures"/> reads them (their
/// mean), and <see cref="SoftmaxClassifier"/> trained with <see cref="VocabularyHead.TrainingOptions"/>
/// and each work's artist, as <see cref="VocabularyHead"/> trains.
/// </summary>
internal static class TagsEval
{
    /// <summary>Training-set sizes of the learning curve (plus every tagged training work).</summary>
    private static readonly int[] CurveSizes = [10, 25, 50, 100, 200];

    public static Command Create(HostStarter cli)
    {
        var train = new Option<DirectoryInfo>("--train") { Description = "Folder of images to train on.", Required = true };
        var test = new Option<DirectoryInfo>("--test") { Description = "Folder of images to predict and score.", Required = true };
        var labels = new Option<FileInfo>("--labels") { Description = "CSV path,<column>: 0/1 (one tag) or tag names (several); paths relative to --train or --test.", Required = true };
        var column = new Option<string?>("--column") { Description = "The label column, when the file has several." };
        var artists = new Option<FileInfo?>("--artists") { Description = "labels.csv (path,style,artist_slug) naming each image's artist, which the head's calibration folds keep together as the app's do; default: labels.csv beside --labels, if there is one." };
        var curve = new Option<bool>("--curve") { Description = "Also print the learning curve: the figure at 10, 25, 50, 100, 200 and all tagged training works." };
        var draws = new Option<int>("--draws") { Description = "Random training subsets per curve size (seeds 1..N).", DefaultValueFactory = _ => 10 };
        var ablation = new Option<bool>("--ablation") { Description = "Also score the other features, heads and views that were considered." };
        var skipMissing = new Option<bool>("--skip-missing") { Description = "Leave out labelled images that are in neither folder instead of stopping." };
        var viewOption = new Option<EncoderView?>("--view")
        {
            Description = "Score one stored view alone instead of the product's descriptor (the mean of both views, what the app's heads read): Model224 (the 224 crop) or Full448 (the whole image at 448 px).",
        };
        viewOption.AcceptOnlyFromAmong(nameof(EncoderView.Model224), nameof(EncoderView.Full448));
        var command = new Command("tags", "Train a vocabulary head on --train only (the app's descriptor and head), predict --test; ends with auc= ap= (0/1 labels) or top1= macro_f1= (tag names).")
        {
            train, test, labels, column, artists, curve, draws, ablation, skipMissing, viewOption,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (trainDir, testDir, labelFile) = (parse.GetValue(train)!, parse.GetValue(test)!, parse.GetValue(labels)!);
            TagSets sets;
            Dictionary<string, string?> artistOf;
            try
            {
                foreach (var dir in new[] { trainDir, testDir })
                {
                    if (!dir.Exists)
                    {
                        throw new InvalidDataException($"the folder {dir.FullName} does not exist.");
                    }
                }

                if (!labelFile.Exists)
                {
                    throw new InvalidDataException($"the label file {labelFile.FullName} does not exist.");
                }

                var (name, rows) = TagLabels.Parse(await File.ReadAllTextAsync(labelFile.FullName, ct), parse.GetValue(column), labelFile.Name);
                sets = TagLabels.Assign(name, rows, trainDir.FullName, testDir.FullName, File.Exists, parse.GetValue(skipMissing));
                artistOf = Artists(parse.GetValue(artists), labelFile);
            }
            catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            if (sets.Missing.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]left out {sets.Missing.Count} labelled images in neither folder[/]");
            }

            if (artistOf.Count == 0)
            {
                AnsiConsole.MarkupLine("[yellow]no artist file: the head's calibration folds treat every work as its own artist[/]");
            }

            using var host = await cli.StartWithoutDatabaseAsync(ct);
            if (!EvalVerb.EncoderReady(host.Services))
            {
                return 1;
            }

            var extractor = host.Services.GetRequiredService<StyleFeatureExtractor>();
            var cache = EvalVerb.FeatureCache;
            async Task<EvalVerb.LabelledSet> Load(DirectoryInfo dir, IReadOnlyList<TagRow> rows, EncoderView view, string label) =>
                await EvalVerb.LoadAsync(extractor, dir.FullName, [.. rows.Select(r => new LabelledImage(r.Path, r.Tag, artistOf.GetValueOrDefault(r.Path)))], view, cache, label, ct);
            var crop = (Train: await Load(trainDir, sets.Train, EncoderView.Model224, "train (Model224)"), Test: await Load(testDir, sets.Test, EncoderView.Model224, "test (Model224)"));
            var whole = (Train: await Load(trainDir, sets.Train, EncoderView.Full448, "train (Full448)"), Test: await Load(testDir, sets.Test, EncoderView.Full448, "test (Full448)"));
            var (trainBoth, testBoth) = (EvalVerb.TwoView(crop.Train, whole.Train), EvalVerb.TwoView(crop.Test, whole.Test));
            if (trainBoth is null || testBoth is null)
            {
                AnsiConsole.MarkupLine("[red]the two views did not decode the same works[/]");
                return 1;
            }

            var product = new TagTask(sets.Binary, trainBoth, crop.Train.Styles, crop.Train.Artists, testBoth, crop.Test.Styles);
            var view = parse.GetValue(viewOption);
            var task = view switch
            {
                EncoderView.Model224 => product.With(crop.Train.Features(OneView), crop.Test.Features(OneView)),
                EncoderView.Full448 => product.With(whole.Train.Features(OneView), whole.Test.Features(OneView)),
                null => product,
                _ => null,
            };
            if (task is null)
            {
                AnsiConsole.MarkupLine("[red]--view takes Model224 or Full448, the two views the app stores[/]");
                return 2;
            }

            if (task.TrainY.Distinct().Count() < 2 || (task.Binary && task.TestY.Distinct().Count() < 2))
            {
                AnsiConsole.MarkupLine("[red]after the images that failed to decode, a set holds one class only[/]");
                return 2;
            }

            var descriptor = view is { } v ? $"{v} alone (not the product's: the app reads the mean of Model224 and Full448)" : "mean of Model224 and Full448 (the product's)";
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"column {Markup.Escape(sets.Column)}: {(task.Binary ? "one tag (0/1)" : "several tags")}; descriptor {descriptor}; head softmax with the app's training options; train works={task.TrainY.Count} ({Counts(task.TrainY)}), test works={task.TestY.Count} ({Counts(task.TestY)}); train artists={task.TrainGroups.OfType<string>().Distinct(StringComparer.Ordinal).Count()}"));

            if (parse.GetValue(ablation))
            {
                Ablation(product, crop, whole);
            }

            if (parse.GetValue(curve))
            {
                Curve(task, Math.Max(1, parse.GetValue(draws)));
            }

            var clock = Stopwatch.StartNew();
            var model = Train(task);
            var seconds = clock.Elapsed.TotalSeconds;
            var predictions = task.TestX.Select(x => model.Predict(x)).ToList();
            var report = ClassificationReport.Create(model.Classes, predictions, task.TestY);
            WritePerClass(report);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"train: seconds={seconds:0.0} temperature={model.Temperature:0.00}; ece={report.ExpectedCalibrationError:0.000}"));
            if (task.Binary)
            {
                var positive = task.TestY.Select(y => y == TagLabels.Positive).ToList();
                var scores = PositiveScores(model, task.TestX);
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"chance: auc=0.500 ap={positive.Count(p => p) / (double)positive.Count:0.000} (the positives' share)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"auc={BinaryScores.Auc(scores, positive):0.000} ap={BinaryScores.AveragePrecision(scores, positive):0.000}"));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top1={report.Top1:0.000} macro_f1={report.MacroF1:0.000}"));
            }

            return 0;
        });
        return command;
    }

    /// <summary>One evaluation: features and labels of both sets, and the training works' artists.</summary>
    private sealed record TagTask(bool Binary, IReadOnlyList<float[]> TrainX, IReadOnlyList<string> TrainY, IReadOnlyList<string?> TrainGroups, IReadOnlyList<float[]> TestX, IReadOnlyList<string> TestY)
    {
        /// <summary>The same task read through other features.</summary>
        public TagTask With(IReadOnlyList<float[]> trainX, IReadOnlyList<float[]> testX) => this with { TrainX = trainX, TestX = testX };
    }

    /// <summary>Each image's artist from <paramref name="file"/>, or labels.csv beside the label file; empty when there is none.</summary>
    private static Dictionary<string, string?> Artists(FileInfo? file, FileInfo labelFile)
    {
        var path = file?.FullName ?? Path.Combine(labelFile.DirectoryName!, LabelsFile.FileName);
        if (file is null && (!File.Exists(path) || string.Equals(Path.GetFullPath(path), labelFile.FullName, StringComparison.Ordinal)))
        {
            return [];
        }

        if (!File.Exists(path))
        {
            throw new InvalidDataException($"the artist file {path} does not exist.");
        }

        return LabelsFile.Parse(File.ReadLines(path), Path.GetFileName(path))
            .GroupBy(r => r.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Artist, StringComparer.Ordinal);
    }

    /// <summary>One view's features as the app lays out a stored vector: style then content.</summary>
    private static float[] OneView(LayerMoments[] moments) => RecogniserFeatures.From(StyleEncoder.Describe(moments));

    /// <summary>The head as <see cref="VocabularyHead"/> trains it, or with other options for the ablation.</summary>
    private static SoftmaxClassifier Train(TagTask task, SoftmaxOptions? options = null) =>
        SoftmaxClassifier.Train(task.TrainX, task.TrainY, options ?? VocabularyHead.TrainingOptions, task.TrainGroups);

    /// <summary>The figures of one trained head: (AUC, AP) for one tag, (top-1, macro F1) for several.</summary>
    private static (double First, double Second) Score(TagTask task, Func<float[], float[]> predict, IReadOnlyList<string> classes)
    {
        var probabilities = task.TestX.Select(predict).ToList();
        if (task.Binary)
        {
            var index = IndexOf(classes, TagLabels.Positive);
            var scores = probabilities.Select(p => index < 0 ? 0.0 : p[index]).ToList();
            var positive = task.TestY.Select(y => y == TagLabels.Positive).ToList();
            return (BinaryScores.Auc(scores, positive), BinaryScores.AveragePrecision(scores, positive));
        }

        var report = ClassificationReport.Create(classes, probabilities, task.TestY);
        return (report.Top1, report.MacroF1);
    }

    private static (double First, double Second) Score(TagTask task, SoftmaxOptions? options = null)
    {
        var model = Train(task, options);
        return Score(task, x => model.Predict(x), model.Classes);
    }

    private static List<double> PositiveScores(SoftmaxClassifier model, IReadOnlyList<float[]> x)
    {
        var index = IndexOf(model.Classes, TagLabels.Positive);
        return [.. x.Select(v => (double)model.Predict(v)[index])];
    }

    private static int IndexOf(IReadOnlyList<string> classes, string name)
    {
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The figure against the number of tagged training works: for each size, <paramref name="draws"/>
    /// random subsets (fixed seeds; a draw of one class only is drawn again), each trained and scored
    /// on the whole test set.
    /// </summary>
    private static void Curve(TagTask task, int draws)
    {
        var (first, second) = task.Binary ? ("auc", "ap") : ("top1", "macro_f1");
        var table = new Table().AddColumns("training works", "draws", $"{first} mean", $"{first} sd", $"{first} min", $"{first} max", $"{second} mean");
        var summary = new List<string>();
        var n = task.TrainY.Count;
        foreach (var size in CurveSizes.Where(s => s < n).Append(n))
        {
            var results = new List<(double First, double Second)>();
            var all = size == n;
            for (var d = 1; d <= (all ? 1 : draws); d++)
            {
                var random = new Random((size * 1000) + d);
                int[]? pick = null;
                for (var attempt = 0; attempt < 100 && pick is null; attempt++)
                {
                    var order = Enumerable.Range(0, n).ToArray();
                    random.Shuffle(order);
                    var candidate = order[..size];
                    pick = candidate.Select(i => task.TrainY[i]).Distinct().Count() >= 2 ? candidate : null;
                }

                if (pick is not null)
                {
                    results.Add(Score(task with
                    {
                        TrainX = [.. pick.Select(i => task.TrainX[i])],
                        TrainY = [.. pick.Select(i => task.TrainY[i])],
                        TrainGroups = [.. pick.Select(i => task.TrainGroups[i])],
                    }));
                }
            }

            if (results.Count == 0)
            {
                continue;
            }

            var values = results.Select(r => r.First).ToList();
            var mean = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1));
            table.AddRow(all ? $"all ({n})" : size.ToString(CultureInfo.InvariantCulture), results.Count.ToString(CultureInfo.InvariantCulture),
                F(mean), F(sd), F(values.Min()), F(values.Max()), F(results.Average(r => r.Second)));
            summary.Add(string.Create(CultureInfo.InvariantCulture, $"{first}@{(all ? "all" : size)}={mean:0.000}"));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"curve: {string.Join(' ', summary)}");
    }

    /// <summary>
    /// The design choices, each scored on the same split and changed one at a time from the product
    /// (<paramref name="product"/>: the mean of both stored views, the app's head): the head's options,
    /// another head, each view alone, the descriptor's parts.
    /// </summary>
    private static void Ablation(TagTask product, (EvalVerb.LabelledSet Train, EvalVerb.LabelledSet Test) crop, (EvalVerb.LabelledSet Train, EvalVerb.LabelledSet Test) whole)
    {
        var (first, second) = product.Binary ? ("auc", "ap") : ("top1", "macro_f1");
        var table = new Table().AddColumns("features", "head", first, second);
        void Add(string features, string head, (double First, double Second) r) => table.AddRow(Markup.Escape(features), Markup.Escape(head), F(r.First), F(r.Second));
        TagTask Read((EvalVerb.LabelledSet Train, EvalVerb.LabelledSet Test) view, Func<LayerMoments[], float[]> descriptor) =>
            product.With(view.Train.Features(descriptor), view.Test.Features(descriptor));

        static float[] Style(LayerMoments[] m) => StyleEncoder.Describe(m).Style;
        static float[] Content(LayerMoments[] m) => StyleEncoder.Describe(m).Content;
        const string Mean = "style + content, mean of 224 and 448";
        Add($"{Mean} (product)", "softmax, app's options (product)", Score(product));
        Add(Mean, "softmax, plain calibration folds (artists ignored)", Score(product, new SoftmaxOptions()));
        Add(Mean, "softmax, classes balanced", Score(product, VocabularyHead.TrainingOptions with { BalanceClasses = true }));
        foreach (var l2 in new[] { 0.01f, 0.03f, 0.3f, 1f, 3f })
        {
            Add(Mean, string.Create(CultureInfo.InvariantCulture, $"softmax, L2={l2} (product 0.1)"), Score(product, VocabularyHead.TrainingOptions with { L2 = l2 }));
        }

        foreach (var lambda in new[] { 0.3, 0.8 })
        {
            var lda = ShrinkageLdaClassifier.Train(product.TrainX, product.TrainY, lambda);
            Add(Mean, string.Create(CultureInfo.InvariantCulture, $"shrinkage LDA λ={lambda}"), Score(product, x => lda.Predict(x), lda.Classes));
        }

        foreach (var (name, view) in new[] { ("224 crop (Model224)", crop), ("whole 448 (Full448)", whole) })
        {
            var alone = Read(view, OneView);
            Add($"style + content, {name} alone", "softmax", Score(alone));
            Add($"content: pooled stage 4, {name} alone", "softmax", Score(Read(view, Content)));
            Add($"style: channel moments of 4 layers, {name} alone", "softmax", Score(Read(view, Style)));
            Add($"style + content, {name} alone", "softmax, L2=1", Score(alone, VocabularyHead.TrainingOptions with { L2 = 1f }));
            var lda = ShrinkageLdaClassifier.Train(alone.TrainX, alone.TrainY, 0.8);
            Add($"style + content, {name} alone", "shrinkage LDA λ=0.8", Score(alone, x => lda.Predict(x), lda.Classes));
        }

        AnsiConsole.Write(table);
    }

    private static void WritePerClass(ClassificationReport report)
    {
        var table = new Table().AddColumns("tag", "test works", "precision", "recall", "f1");
        for (var c = 0; c < report.Classes.Count; c++)
        {
            table.AddRow(Markup.Escape(report.Classes[c]), report.Total(c).ToString(CultureInfo.InvariantCulture), F(report.Precision(c)), F(report.Recall(c)), F(report.F1(c)));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("(precision, recall and f1 of the most probable tag; for 0/1 labels, at probability 0.5)");
    }

    private static string Counts(IReadOnlyList<string> labels) =>
        string.Join(", ", labels.GroupBy(l => l, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Take(8).Select(g => $"{Markup.Escape(g.Key)}: {g.Count()}"));

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
