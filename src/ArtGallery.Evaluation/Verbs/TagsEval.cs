using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recognition;
using ArtGallery.Engines.Encoding;
using ArtGallery.Evaluation.Recognition;
using Spectre.Console;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>eval tags</c>: the recogniser's head for one vocabulary (one tag present or absent, or one of
/// several tags), trained on <c>--train</c>'s labelled works only and scored on <c>--test</c>'s. The
/// features and head are the product's: the stored style + content embeddings of the model view
/// (<see cref="RecogniserFeatures"/>) and <see cref="SoftmaxClassifier"/> with its default options.
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
        var curve = new Option<bool>("--curve") { Description = "Also print the learning curve: the figure at 10, 25, 50, 100, 200 and all tagged training works." };
        var draws = new Option<int>("--draws") { Description = "Random training subsets per curve size (seeds 1..N).", DefaultValueFactory = _ => 10 };
        var ablation = new Option<bool>("--ablation") { Description = "Also score the other features, heads and views that were considered." };
        var skipMissing = new Option<bool>("--skip-missing") { Description = "Leave out labelled images that are in neither folder instead of stopping." };
        var viewOption = new Option<EncoderView>("--view")
        {
            Description = "How the encoder sees each image: Model224 is what the app stores and reads (the product); Full448 (whole image, shorter side 448) is measured for comparison.",
            DefaultValueFactory = _ => EncoderView.Model224,
        };
        var command = new Command("tags", "Train a vocabulary head on --train only, predict --test; ends with auc= ap= (0/1 labels) or top1= macro_f1= (tag names).")
        {
            train, test, labels, column, curve, draws, ablation, skipMissing, viewOption,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (trainDir, testDir, labelFile) = (parse.GetValue(train)!, parse.GetValue(test)!, parse.GetValue(labels)!);
            TagSets sets;
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

            using var host = await cli.StartWithoutDatabaseAsync(ct);
            if (!EvalVerb.EncoderReady(host.Services))
            {
                return 1;
            }

            var extractor = host.Services.GetRequiredService<StyleFeatureExtractor>();
            var cache = EvalVerb.FeatureCache;
            async Task<EvalVerb.LabelledSet> Load(DirectoryInfo dir, IReadOnlyList<TagRow> rows, EncoderView view, string label) =>
                await EvalVerb.LoadAsync(extractor, dir.FullName, [.. rows.Select(r => new LabelledImage(r.Path, r.Tag, null))], view, cache, label, ct);
            var view = parse.GetValue(viewOption);
            var trainSet = await Load(trainDir, sets.Train, view, $"train ({view})");
            var testSet = await Load(testDir, sets.Test, view, $"test ({view})");
            var task = new TagTask(sets.Binary, trainSet.Features(Product), trainSet.Styles, testSet.Features(Product), testSet.Styles);
            if (trainSet.Styles.Distinct().Count() < 2 || (task.Binary && testSet.Styles.Distinct().Count() < 2))
            {
                AnsiConsole.MarkupLine("[red]after the images that failed to decode, a set holds one class only[/]");
                return 2;
            }

            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"column {Markup.Escape(sets.Column)}: {(task.Binary ? "one tag (0/1)" : "several tags")}; view {view}{(view == EncoderView.Model224 ? " (the product's)" : " (not the product's: the app stores Model224)")}; train works={task.TrainY.Count} ({Counts(task.TrainY)}), test works={task.TestY.Count} ({Counts(task.TestY)})"));

            if (parse.GetValue(ablation))
            {
                var (trainModel, testModel) = view == EncoderView.Model224 ? (trainSet, testSet)
                    : (await Load(trainDir, sets.Train, EncoderView.Model224, "train (Model224)"), await Load(testDir, sets.Test, EncoderView.Model224, "test (Model224)"));
                var (trainFull, testFull) = view == EncoderView.Full448 ? (trainSet, testSet)
                    : (await Load(trainDir, sets.Train, EncoderView.Full448, "train (Full448)"), await Load(testDir, sets.Test, EncoderView.Full448, "test (Full448)"));
                var aligned = trainModel.Paths.SequenceEqual(trainFull.Paths) && testModel.Paths.SequenceEqual(testFull.Paths);
                Ablation(task.With(trainModel.Features(Product), testModel.Features(Product)), trainModel, testModel, aligned ? (trainFull, testFull) : null);
            }

            if (parse.GetValue(curve))
            {
                Curve(task, Math.Max(1, parse.GetValue(draws)));
            }

            var clock = Stopwatch.StartNew();
            var model = SoftmaxClassifier.Train(task.TrainX, task.TrainY);
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

    /// <summary>One evaluation: features and labels of both sets.</summary>
    private sealed record TagTask(bool Binary, IReadOnlyList<float[]> TrainX, IReadOnlyList<string> TrainY, IReadOnlyList<float[]> TestX, IReadOnlyList<string> TestY)
    {
        /// <summary>The same task read through other features.</summary>
        public TagTask With(IReadOnlyList<float[]> trainX, IReadOnlyList<float[]> testX) => this with { TrainX = trainX, TestX = testX };
    }

    private static float[] Product(LayerMoments[] moments) => RecogniserFeatures.From(StyleEncoder.Describe(moments));

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
        var model = SoftmaxClassifier.Train(task.TrainX, task.TrainY, options);
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
                    results.Add(Score(task with { TrainX = [.. pick.Select(i => task.TrainX[i])], TrainY = [.. pick.Select(i => task.TrainY[i])] }));
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

    /// <summary>The design choices, each scored on the same split: features, class weighting, regularisation, a second view.</summary>
    private static void Ablation(TagTask task, EvalVerb.LabelledSet train, EvalVerb.LabelledSet test, (EvalVerb.LabelledSet Train, EvalVerb.LabelledSet Test)? full)
    {
        var (first, second) = task.Binary ? ("auc", "ap") : ("top1", "macro_f1");
        var table = new Table().AddColumns("features", "head", first, second);
        void Add(string features, string head, (double First, double Second) r) => table.AddRow(Markup.Escape(features), Markup.Escape(head), F(r.First), F(r.Second));

        static float[] Style(LayerMoments[] m) => StyleEncoder.Describe(m).Style;
        static float[] Content(LayerMoments[] m) => StyleEncoder.Describe(m).Content;
        Add("style + content, 224 (product)", "softmax (product)", Score(task));
        Add("content: pooled stage 4, 224", "softmax", Score(task.With(train.Features(Content), test.Features(Content))));
        Add("style: channel moments of 4 layers, 224", "softmax", Score(task.With(train.Features(Style), test.Features(Style))));
        Add("style + content, 224", "softmax, classes balanced", Score(task, new SoftmaxOptions { BalanceClasses = true }));
        foreach (var l2 in new[] { 0.01f, 0.03f, 0.3f, 1f, 3f })
        {
            Add("style + content, 224", string.Create(CultureInfo.InvariantCulture, $"softmax, L2={l2} (product 0.1)"), Score(task, new SoftmaxOptions { L2 = l2 }));
        }

        foreach (var lambda in new[] { 0.3, 0.8 })
        {
            var lda = ShrinkageLdaClassifier.Train(task.TrainX, task.TrainY, lambda);
            Add("style + content, 224", string.Create(CultureInfo.InvariantCulture, $"shrinkage LDA λ={lambda}"), Score(task, x => lda.Predict(x), lda.Classes));
        }

        if (full is { } f)
        {
            var (trainFull, testFull) = (f.Train.Features(Product), f.Test.Features(Product));
            var fullTask = task.With(trainFull, testFull);
            Add("style + content, Full448", "softmax", Score(fullTask));
            Add("content: pooled stage 4, Full448", "softmax", Score(task.With(f.Train.Features(Content), f.Test.Features(Content))));
            Add("style + content, Full448", "softmax, L2=0.3", Score(fullTask, new SoftmaxOptions { L2 = 0.3f }));
            Add("style + content, Full448", "softmax, L2=1", Score(fullTask, new SoftmaxOptions { L2 = 1f }));
            var fullLda = ShrinkageLdaClassifier.Train(trainFull, task.TrainY, 0.8);
            Add("style + content, Full448", "shrinkage LDA λ=0.8", Score(fullTask, x => fullLda.Predict(x), fullLda.Classes));
            Add("style + content, mean(224, Full448)", "softmax", Score(task.With(Mean(task.TrainX, trainFull), Mean(task.TestX, testFull))));
        }
        else
        {
            AnsiConsole.MarkupLine("[yellow]the Full448 view did not decode the same works; its rows are left out[/]");
        }

        AnsiConsole.Write(table);
    }

    private static List<float[]> Mean(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b) =>
        [.. a.Zip(b, (x, y) => x.Zip(y, (u, v) => (u + v) / 2).ToArray())];

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
