using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recognition;
using ArtGallery.Engines.Imaging;
using ArtGallery.Engines.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>Offline evaluations on labelled folders; each ends with one line of key=value pairs.</summary>
internal static class EvalVerb
{
    public static Command Create(HostStarter cli) => new("eval", "Evaluations on labelled image folders (labels.csv: path,style[,artist_slug]).")
    {
        StylesEval(cli),
        SplitCommand(),
        StylesCrossValidation.Create(cli),
        TagsEval.Create(cli),
        TagsSplit.Create(),
        RecommendationsEval.Create(cli),
        MelodyEval.Create(cli),
        PoemEval.Create(cli),
        GanEval.Create(cli),
        MarketEval.Create(),
        TextSearchEval.Create(cli),
    };

    private static Command StylesEval(HostStarter cli)
    {
        var train = new Option<DirectoryInfo>("--train") { Description = "Folder with images and labels.csv to train on.", Required = true };
        var test = new Option<DirectoryInfo>("--test") { Description = "Folder with images and labels.csv to predict and score.", Required = true };
        var ablation = new Option<bool>("--ablation") { Description = "Also score the other descriptors and heads that were considered." };
        var taps = new Option<bool>("--all-taps") { Description = "With --ablation: also try the moments of every residual block's output." };
        var command = new Command("styles", "Train the style recogniser on --train only, predict --test, print per-style accuracy and the confusion matrix.") { train, test, ablation, taps };
        command.SetAction(async (parse, ct) =>
        {
            var (trainDir, testDir) = (parse.GetValue(train)!, parse.GetValue(test)!);
            IReadOnlyList<LabelledImage> trainRows, testRows;
            try
            {
                trainRows = LabelsFile.Read(trainDir.FullName);
                testRows = LabelsFile.Read(testDir.FullName);
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            using var host = await cli.StartAsync(ct);
            if (!EncoderReady(host.Services))
            {
                return 1;
            }

            var extractor = host.Services.GetRequiredService<StyleFeatureExtractor>();
            var cache = FeatureCache;
            // Both views always: the product's recogniser reads the crop and the whole image (RecogniserFeatures).
            var views = new[] { EncoderView.Model224, EncoderView.Full448 };
            var trainSet = new Dictionary<EncoderView, LabelledSet>();
            var testSet = new Dictionary<EncoderView, LabelledSet>();
            foreach (var view in views)
            {
                trainSet[view] = await LoadAsync(extractor, trainDir.FullName, trainRows, view, cache, $"train ({view})", ct);
                testSet[view] = await LoadAsync(extractor, testDir.FullName, testRows, view, cache, $"test ({view})", ct);
            }

            if (parse.GetValue(ablation))
            {
                Ablation(trainSet, testSet);
            }

            if (parse.GetValue(taps))
            {
                using var tapped = StyleEncoder.WithExtraLayers(host.Services.GetRequiredService<IOptions<EngineOptions>>(), host.Services.GetRequiredService<ILogger<StyleEncoder>>(), BlockOutputs);
                var tappedExtractor = new StyleFeatureExtractor(tapped, host.Services.GetRequiredService<ImageDecoder>()) { CacheVariant = "|blocks" };
                var trainTaps = await LoadAsync(tappedExtractor, trainDir.FullName, trainRows, EncoderView.Model224, cache, "train (all blocks)", ct);
                var testTaps = await LoadAsync(tappedExtractor, testDir.FullName, testRows, EncoderView.Model224, cache, "test (all blocks)", ct);
                TapsAblation(trainTaps, testTaps);
            }

            // The product's recogniser: the stored crop and whole view (RecogniserFeatures) → softmax head.
            var (trainSamples, testSamples) = (trainSet[EncoderView.Model224], testSet[EncoderView.Model224]);
            var trainFeatures = TwoView(trainSet);
            var testFeatures = TwoView(testSet);
            if (trainFeatures is null || testFeatures is null)
            {
                AnsiConsole.MarkupLine("[red]the two views did not decode the same works[/]");
                return 1;
            }

            var clock = Stopwatch.StartNew();
            var classifier = SoftmaxClassifier.Train(trainFeatures, trainSamples.Styles, VocabularyHead.TrainingOptions, trainSamples.Artists);
            var trainSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var predictions = testFeatures.Select(f => classifier.Predict(f)).ToList();
            var predictMs = clock.Elapsed.TotalMilliseconds / Math.Max(1, predictions.Count);
            var report = ClassificationReport.Create(classifier.Classes, predictions, testSamples.Styles);
            WriteReport(report);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"train: works={trainSamples.Styles.Count} styles={classifier.Classes.Count} seconds={trainSeconds:0.0} temperature={classifier.Temperature:0.00}; predict: ms_per_work={predictMs:0.000}; ece={report.ExpectedCalibrationError:0.000}"));

            // How the temperature is fitted changes the probabilities, not the ranking: the product's
            // (artist folds, dominant painters kept in train) beside the alternatives that were measured.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calibration (product): temperature={classifier.Temperature:0.00} ece={report.ExpectedCalibrationError:0.000}"));
            foreach (var (name, options) in new (string, SoftmaxOptions)[]
            {
                ("3 plain folds", new SoftmaxOptions()),
                ("3 artist folds, every artist held out", new SoftmaxOptions { GroupCalibrationFolds = true }),
                ("5 artist folds, artists over 0.3 of their style kept in train", VocabularyHead.TrainingOptions with { CalibrationFolds = 5 }),
                ("3 artist folds, artists over 0.5 of their style kept in train", VocabularyHead.TrainingOptions with { GroupCalibrationMaxShare = 0.5f }),
            })
            {
                var other = SoftmaxClassifier.Train(trainFeatures, trainSamples.Styles, options, trainSamples.Artists);
                var otherReport = ClassificationReport.Create(other.Classes, [.. testFeatures.Select(f => other.Predict(f))], testSamples.Styles);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calibration ({name}): temperature={other.Temperature:0.00} ece={otherReport.ExpectedCalibrationError:0.000}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top1={report.Top1:0.000} top3={report.Top3:0.000} macro_f1={report.MacroF1:0.000}"));
            return 0;
        });
        return command;
    }

    /// <summary>Where evaluations cache encoder features: under AG_DATA, shared by every folder and split.</summary>
    internal static string FeatureCache => Path.Combine(Environment.GetEnvironmentVariable("AG_DATA") ?? ".data", "eval-cache");

    /// <summary>Whether the style encoder loaded; says why not in one red line when it did not.</summary>
    internal static bool EncoderReady(IServiceProvider services) => EngineCheck.Ready<StyleEncoder>(services, "style encoder") is not null;

    private static float[] Product(LayerMoments[] moments) => RecogniserFeatures.From(StyleEncoder.Describe(moments));

    private static List<float[]>? TwoView(Dictionary<EncoderView, LabelledSet> set) => TwoView(set[EncoderView.Model224], set[EncoderView.Full448]);

    /// <summary>
    /// The product recogniser's features of a set loaded at both views (the crop, and the whole
    /// image as the embedding worker stores it beside the crop); null if the views kept different works.
    /// </summary>
    internal static List<float[]>? TwoView(LabelledSet crop, LabelledSet whole)
    {
        if (!crop.Paths.SequenceEqual(whole.Paths, StringComparer.Ordinal))
        {
            return null;
        }

        return [.. crop.Moments.Zip(whole.Moments, (c, w) =>
        {
            var (a, b) = (StyleEncoder.Describe(c), StyleEncoder.Describe(w));
            return RecogniserFeatures.From(a.Style, a.Content, RecogniserFeatures.From(b.Style, b.Content));
        })];
    }

    internal sealed record LabelledSet(IReadOnlyList<LayerMoments[]> Moments, IReadOnlyList<string> Styles, IReadOnlyList<string?> Artists, IReadOnlyList<string> Paths)
    {
        public IReadOnlyList<float[]> Features(Func<LayerMoments[], float[]> descriptor) => [.. Moments.Select(descriptor)];
    }

    internal static async Task<LabelledSet> LoadAsync(StyleFeatureExtractor extractor, string folder, IReadOnlyList<LabelledImage> rows, EncoderView view, string cache, string label, CancellationToken ct)
    {
        StyleFeatureExtractor.Result? result = null;
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn()).StartAsync(async ctx =>
        {
            var task = ctx.AddTask(label, maxValue: Math.Max(1, rows.Count));
            result = await extractor.ExtractAsync(folder, rows, view, cache, new SynchronousProgress<int>(done => task.Value = done), ct);
        });

        foreach (var failure in result!.Failures)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]skipped {failure}[/]");
        }

        var kept = Enumerable.Range(0, rows.Count).Where(i => result.Moments[i] is not null).ToList();
        return new LabelledSet([.. kept.Select(i => result.Moments[i]!)], [.. kept.Select(i => rows[i].Style)], [.. kept.Select(i => rows[i].Artist)], [.. kept.Select(i => rows[i].Path)]);
    }

    private static void Ablation(Dictionary<EncoderView, LabelledSet> train, Dictionary<EncoderView, LabelledSet> test)
    {
        var descriptors = new (string Name, Func<LayerMoments[], float[]> Build)[]
        {
            ("style (moments of 4 layers)", m => StyleEncoder.Describe(m).Style),
            ("content (pooled stage 4)", m => StyleEncoder.Describe(m).Content),
            ("style + content", Product),
            ("moments of all 5 layers", m => StyleDescriptors.StyleEmbedding([.. m.Select(l => (l.Means, l.Stds))])),
        };
        var table = new Table().AddColumns("view", "descriptor", "head", "top1", "top3", "macro_f1", "ece");
        void Add(EncoderView view, string descriptor, string head, ClassificationReport r) =>
            table.AddRow(view.ToString(), descriptor, head, F(r.Top1), F(r.Top3), F(r.MacroF1), F(r.ExpectedCalibrationError));

        foreach (var view in train.Keys)
        {
            foreach (var (name, build) in descriptors)
            {
                var (trainX, testX) = (train[view].Features(build), test[view].Features(build));
                var knn = new KnnClassifier(trainX, train[view].Styles);
                Add(view, name, "kNN k=10", ClassificationReport.Create(knn.Classes, [.. testX.Select(x => knn.Predict(x))], test[view].Styles));
                var softmax = SoftmaxClassifier.Train(trainX, train[view].Styles);
                Add(view, name, "softmax", ClassificationReport.Create(softmax.Classes, [.. testX.Select(x => softmax.Predict(x))], test[view].Styles));
            }
        }

        var (trainM, testM) = (train[EncoderView.Model224], test[EncoderView.Model224]);
        var grouped = SoftmaxClassifier.Train(trainM.Features(Product), trainM.Styles, new SoftmaxOptions { GroupCalibrationFolds = true }, trainM.Artists);
        Add(EncoderView.Model224, "style + content", "softmax, calibration folds by artist", ClassificationReport.Create(grouped.Classes, [.. testM.Features(Product).Select(x => grouped.Predict(x))], testM.Styles));
        foreach (var (head, options) in new (string, SoftmaxOptions)[]
        {
            ("softmax, classes balanced", new SoftmaxOptions { BalanceClasses = true }),
            ("softmax, no calibration", new SoftmaxOptions { CalibrationFolds = 0 }),
            ("softmax, L2=1e-3", new SoftmaxOptions { L2 = 1e-3f }),
            ("softmax, L2=1e-2", new SoftmaxOptions { L2 = 1e-2f }),
            ("softmax, L2=0.3", new SoftmaxOptions { L2 = 0.3f }),
            ("softmax, L2=1", new SoftmaxOptions { L2 = 1f }),
        })
        {
            var model = SoftmaxClassifier.Train(trainM.Features(Product), trainM.Styles, options);
            Add(EncoderView.Model224, "style + content", head, ClassificationReport.Create(model.Classes, [.. testM.Features(Product).Select(x => model.Predict(x))], testM.Styles));
        }

        if (train.TryGetValue(EncoderView.Full448, out var trainF) && test.TryGetValue(EncoderView.Full448, out var testF))
        {
            // Multi-scale: the mean of the two views' descriptors.
            float[] Both(LayerMoments[] a, LayerMoments[] b) => [.. Product(a).Zip(Product(b), (x, y) => (x + y) / 2)];
            var trainX = trainM.Moments.Zip(trainF.Moments, Both).ToList();
            var testX = testM.Moments.Zip(testF.Moments, Both).ToList();
            var model = SoftmaxClassifier.Train(trainX, trainM.Styles);
            Add(EncoderView.Model224, "style + content, mean with Full448", "softmax", ClassificationReport.Create(model.Classes, [.. testX.Select(x => model.Predict(x))], testM.Styles));

            foreach (var l2 in new[] { 0.01f, 0.1f, 0.3f, 1f, 3f })
            {
                var grid = SoftmaxClassifier.Train(trainX, trainM.Styles, new SoftmaxOptions { L2 = l2 });
                Add(EncoderView.Full448, $"style + content, mean with Full448, L2={l2}", "softmax", ClassificationReport.Create(grid.Classes, [.. testX.Select(x => grid.Predict(x))], testM.Styles));
            }

            var trainProduct = trainM.Features(Product);
            foreach (var share in new[] { 0.5, 0.75 })
            {
                var keep = Enumerable.Range(0, trainX.Count).Where(i => (i * 2654435761L % 1000) < share * 1000).ToList();
                var curve = SoftmaxClassifier.Train([.. keep.Select(i => trainX[i])], [.. keep.Select(i => trainM.Styles[i])]);
                Add(EncoderView.Full448, $"style + content, mean with Full448, {share:0.00} of train", "softmax", ClassificationReport.Create(curve.Classes, [.. testX.Select(x => curve.Predict(x))], testM.Styles));
                var curveM = SoftmaxClassifier.Train([.. keep.Select(i => trainProduct[i])], [.. keep.Select(i => trainM.Styles[i])]);
                Add(EncoderView.Model224, $"style + content, {share:0.00} of train", "softmax", ClassificationReport.Create(curveM.Classes, [.. testM.Features(Product).Select(x => curveM.Predict(x))], testM.Styles));
            }

            // Both views as training samples; test predictions averaged over the two views.
            var augmented = SoftmaxClassifier.Train([.. trainM.Features(Product), .. trainF.Features(Product)], [.. trainM.Styles, .. trainM.Styles]);
            var averaged = testM.Features(Product).Zip(testF.Features(Product), (a, b) => augmented.Predict(a).Zip(augmented.Predict(b), (x, y) => (x + y) / 2).ToArray()).ToList();
            Add(EncoderView.Full448, "style + content, both views", "softmax, trained on both, averaged", ClassificationReport.Create(augmented.Classes, averaged, testM.Styles));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>The outputs of the residual blocks the standard taps skip (first block of each stage, mid-stage 4).</summary>
    private static readonly string[] BlockOutputs = ["ReLU269_Output_0", "ReLU301_Output_0", "ReLU333_Output_0", "ReLU365_Output_0", "ReLU379_Output_0"];

    private static void TapsAblation(LabelledSet train, LabelledSet test)
    {
        var table = new Table().AddColumns("descriptor", "head", "top1", "top3", "macro_f1", "ece");
        var variants = new (string Name, Func<LayerMoments[], float[]> Build)[]
        {
            ("style + content (product)", m => Product(m[..5])),
            ("style + content + block moments", m => [.. Product(m[..5]), .. StyleDescriptors.StyleEmbedding([.. m[5..].Select(l => (l.Means, l.Stds))])]),
            ("moments of all 10 taps", m => [.. StyleDescriptors.StyleEmbedding([.. m.Select(l => (l.Means, l.Stds))]), .. StyleEncoder.Describe(m[..5]).Content]),
        };
        foreach (var (name, build) in variants)
        {
            var model = SoftmaxClassifier.Train(train.Features(build), train.Styles);
            var r = ClassificationReport.Create(model.Classes, [.. test.Features(build).Select(x => model.Predict(x))], test.Styles);
            table.AddRow(name, "softmax", F(r.Top1), F(r.Top3), F(r.MacroF1), F(r.ExpectedCalibrationError));
        }

        AnsiConsole.Write(table);
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static void WriteReport(ClassificationReport report)
    {
        var perStyle = new Table().AddColumns("style", "test works", "accuracy", "f1");
        for (var c = 0; c < report.Classes.Count; c++)
        {
            if (report.Total(c) > 0)
            {
                perStyle.AddRow(Markup.Escape(report.Classes[c]), report.Total(c).ToString(CultureInfo.InvariantCulture), F(report.Recall(c)), F(report.F1(c)));
            }
        }

        AnsiConsole.Write(perStyle);
        // Columns are numbered: 14 style names across would not fit a terminal.
        var confusion = new Table().Title("confusion (rows: actual, columns: predicted)").AddColumn("actual");
        for (var p = 0; p < report.Classes.Count; p++)
        {
            confusion.AddColumn(new TableColumn((p + 1).ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        for (var a = 0; a < report.Classes.Count; a++)
        {
            if (report.Total(a) > 0)
            {
                confusion.AddRow([$"{a + 1} {Markup.Escape(report.Classes[a])}", .. Enumerable.Range(0, report.Classes.Count).Select(p =>
                    report.Confusion[a, p] == 0 ? "." : report.Confusion[a, p].ToString(CultureInfo.InvariantCulture))]);
            }
        }

        AnsiConsole.Write(confusion);
    }

    private static Command SplitCommand()
    {
        var source = new Option<DirectoryInfo>("--source") { Description = "Labelled folder to split.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write train/ and test/ into (links to the images, and a labels.csv each).", Required = true };
        var fraction = new Option<double>("--test-fraction") { Description = "Share of each style's artists held out for test.", DefaultValueFactory = _ => 0.3 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("split", "Split a labelled folder by artist (no artist in both halves), per style.") { source, output, fraction, seed };
        command.SetAction(parse =>
        {
            var rows = LabelsFile.Read(parse.GetValue(source)!.FullName);
            var (trainRows, testRows) = ArtistSplit.Split(rows, parse.GetValue(fraction), parse.GetValue(seed));
            var root = parse.GetValue(output)!.FullName;
            foreach (var (name, part) in new[] { ("train", trainRows), ("test", testRows) })
            {
                var folder = Path.Combine(root, name);
                ArtistSplit.WriteLinkedFolder(parse.GetValue(source)!.FullName, folder, part);
                AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: works={part.Count} artists={part.Select(r => r.Artist).Distinct().Count()} styles={part.Select(r => r.Style).Distinct().Count()} → {Markup.Escape(folder)}"));
            }

            return 0;
        });
        return command;
    }
}
