using System.CommandLine;
using System.Globalization;
using System.Numerics.Tensors;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recognition;
using ArtGallery.Engines.Encoding;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ArtGallery.Cli.Verbs;

/// <summary>
/// <c>eval styles-cv</c>: artist-grouped k-fold cross-validation of recogniser designs on one labelled
/// folder. A single artist-disjoint split of ~400 works has a standard error of ±2.4 points and two
/// seeds differed by 10 points of top-1; pooling every work's out-of-fold prediction is the figure to
/// choose a design by.
/// </summary>
internal static class StylesCrossValidation
{
    public static Command Create()
    {
        var source = new Option<DirectoryInfo>("--source") { Description = "Folder with images and labels.csv (path,style,artist_slug).", Required = true };
        var folds = new Option<int>("--folds") { DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var designFilter = new Option<string?>("--only") { Description = "Run only the designs whose name contains this text." };
        var viewsOption = new Option<string?>("--views") { Description = "Comma-separated views to load (Model224, Full448, Model224Flipped, Full448Flipped, Quarter448…); designs needing others are skipped. Default Model224,Full448." };
        var repeats = new Option<int>("--repeats") { Description = "Instead of folds: this many `eval split` holdouts (seeds 1..N, 30% of each style's artists, prolific artists kept in train), pooled.", DefaultValueFactory = _ => 0 };
        var command = new Command("styles-cv", "Cross-validate recogniser designs with folds grouped by artist; prints pooled out-of-fold accuracy per design.") { source, folds, seed, repeats, designFilter, viewsOption };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(source)!.FullName;
            var only = parse.GetValue(designFilter);
            IReadOnlyList<LabelledImage> rows;
            try
            {
                rows = LabelsFile.Read(folder);
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            using var host = await CliHost.StartAsync(ct);
            var extractor = host.Services.GetRequiredService<StyleFeatureExtractor>();
            var cache = Path.Combine(Environment.GetEnvironmentVariable("AG_DATA") ?? ".data", "eval-cache");
            var wanted = (parse.GetValue(viewsOption) ?? "Model224,Full448").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => Enum.Parse<EncoderView>(v)).Append(EncoderView.Model224).Distinct().ToList();
            var loaded = new Dictionary<EncoderView, EvalVerb.LabelledSet>();
            foreach (var view in wanted)
            {
                loaded[view] = await EvalVerb.LoadAsync(extractor, folder, rows, view, cache, view.ToString(), ct);
            }

            var model = loaded[EncoderView.Model224];
            if (loaded.Values.Any(v => v.Styles.Count != model.Styles.Count))
            {
                AnsiConsole.MarkupLine("[red]the views did not decode the same works[/]");
                return 1;
            }

            var byPath = rows.GroupBy(r => r.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var kept = model.Paths.Select(p => byPath[p]).ToList();
            var count = parse.GetValue(repeats) > 0 ? parse.GetValue(repeats) : parse.GetValue(folds);
            // Each round r tests the works with round[r][i] == true.
            var rounds = parse.GetValue(repeats) > 0
                ? Enumerable.Range(1, count).Select(s =>
                {
                    var test = ArtistSplit.Split(kept, 0.3, s).Test.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
                    return kept.Select(r => test.Contains(r.Path)).ToArray();
                }).ToList()
                : FoldRounds(ArtistSplit.Folds(kept, count, parse.GetValue(seed)), count);
            var table = new Table().AddColumns("design", "top1", "top3", "macro_f1", "worst round top1");
            foreach (var design in Designs(loaded).Where(d => only is null || d.Name.Contains(only, StringComparison.Ordinal)))
            {
                var (pooled, worst) = Run(design, model.Styles, model.Artists, rounds);
                table.AddRow(Markup.Escape(design.Name), F(pooled.Top1), F(pooled.Top3), F(pooled.MacroF1), F(worst));
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{design.Name}: top1={F(pooled.Top1)} top3={F(pooled.Top3)}");
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A recogniser design: the feature views of each work, and whether a work's views are separate
    /// training samples (one model, predictions averaged over views) or separate models averaged.
    /// </summary>
    private sealed record Design(string Name, IReadOnlyList<IReadOnlyList<float[]>> Views, SoftmaxOptions Options, bool ViewsAsSamples = false, double? LdaShrinkage = null, EnsembleWeights? Ensemble = null);

    /// <summary>Weights of the softmax, shrinkage-LDA and kNN probabilities in an ensemble of heads.</summary>
    private sealed record EnsembleWeights(float Softmax, float Lda, float Knn, double Shrinkage = 0.5, int K = 10);

    private static IEnumerable<Design> Designs(Dictionary<EncoderView, EvalVerb.LabelledSet> views)
    {
        static float[] Product(LayerMoments[] m) => RecogniserFeatures.From(StyleEncoder.Describe(m));
        static float[] Style(LayerMoments[] m) => StyleEncoder.Describe(m).Style;
        // Stage 4's standard deviations and stage 3's pooled means as blocks of their own, next to the product features.
        static float[] Richer(LayerMoments[] m) =>
            [.. Product(m), .. StyleDescriptors.ContentEmbedding(m[StyleEncoder.StyleLayers.Count].Stds), .. StyleDescriptors.ContentEmbedding(m[StyleEncoder.StyleLayers.Count - 1].Means)];
        var model = views[EncoderView.Model224];
        var p224 = model.Features(Product);
        var noCalibration = new SoftmaxOptions { CalibrationFolds = 0 };
        yield return new("224: style + content", [p224], noCalibration);
        yield return new("224: style only", [model.Features(Style)], noCalibration);
        if (!views.TryGetValue(EncoderView.Full448, out var full))
        {
            yield break;
        }

        var p448 = full.Features(Product);
        var mean = Mean([p224, p448]);
        yield return new("448: style + content", [p448], noCalibration);
        yield return new("mean(224, 448) (two-view product)", [mean], noCalibration);
        yield return new("mean(224, 448), L2=0.3", [mean], noCalibration with { L2 = 0.3f });
        yield return new("concat(224, 448)", [Concat(p224, p448)], noCalibration);
        yield return new("concat(224, 448), L2=0.3", [Concat(p224, p448)], noCalibration with { L2 = 0.3f });
        yield return new("mean(224, 448), richer stats (stage-4 stds, stage-3 pooled)", [Mean([model.Features(Richer), full.Features(Richer)])], noCalibration);
        yield return new("224 and 448 models, probabilities averaged", [p224, p448], noCalibration);
        foreach (var lambda in new[] { 0.3, 0.6 })
        {
            yield return new($"LDA λ={lambda}: mean(224, 448)", [mean], new SoftmaxOptions(), LdaShrinkage: lambda);
        }

        yield return new("kNN k=10: mean(224, 448)", [mean], noCalibration, Ensemble: new EnsembleWeights(0, 0, 1));
        yield return new("ensemble softmax+LDA: mean(224, 448)", [mean], noCalibration, Ensemble: new EnsembleWeights(1, 1, 0));
        yield return new("ensemble softmax+kNN: mean(224, 448)", [mean], noCalibration, Ensemble: new EnsembleWeights(1, 0, 1));
        yield return new("ensemble softmax+LDA+kNN: mean(224, 448)", [mean], noCalibration, Ensemble: new EnsembleWeights(1, 1, 1));
        yield return new("ensemble 2·softmax+LDA+kNN: mean(224, 448)", [mean], noCalibration, Ensemble: new EnsembleWeights(2, 1, 1));
        if (views.TryGetValue(EncoderView.Model224Flipped, out var flip224))
        {
            var f224 = flip224.Features(Product);
            yield return new("mean(224, 224 flipped, 448)", [Mean([p224, f224, p448])], noCalibration);
            yield return new("mean(224, 448), 224 flip as training samples + test average", [mean, Mean([f224, p448])], noCalibration, ViewsAsSamples: true);
            if (views.TryGetValue(EncoderView.Full448Flipped, out var flip448))
            {
                var f448 = flip448.Features(Product);
                var flipMean = Mean([f224, f448]);
                yield return new("mean(224, 448, both flipped)", [Mean([p224, f224, p448, f448])], noCalibration);
                yield return new("mean(224, 448) and its flip as samples, averaged", [mean, flipMean], noCalibration, ViewsAsSamples: true);
                yield return new("ensemble softmax+LDA+kNN: mean(224, 448, both flipped)", [Mean([p224, f224, p448, f448])], noCalibration, Ensemble: new EnsembleWeights(1, 1, 1));
            }
        }

        var quarterViews = new[] { EncoderView.Quarter448TopLeft, EncoderView.Quarter448TopRight, EncoderView.Quarter448BottomLeft, EncoderView.Quarter448BottomRight };
        if (quarterViews.All(views.ContainsKey))
        {
            var q = quarterViews.Select(v => views[v].Features(Product)).ToList();
            yield return new("mean of the 4 quarters", [Mean(q)], noCalibration);
            yield return new("mean(224, 448, 4 quarters)", [Mean([p224, p448, .. q])], noCalibration);
            yield return new("all 6 views as samples, averaged", [p224, p448, .. q], noCalibration, ViewsAsSamples: true);
        }
    }

    private static List<float[]> Concat(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b) => [.. a.Zip(b, (x, y) => (float[])[.. x, .. y])];

    private static List<bool[]> FoldRounds(int[] fold, int folds) =>
        [.. Enumerable.Range(0, folds).Select(f => fold.Select(x => x == f).ToArray())];

    private static (ClassificationReport Pooled, double WorstRound) Run(Design design, IReadOnlyList<string> styles, IReadOnlyList<string?> artists, List<bool[]> rounds)
    {
        var classes = styles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var predictions = new List<float[]>();
        var actual = new List<string>();
        var worst = 1.0;
        foreach (var isTest in rounds)
        {
            var train = Enumerable.Range(0, styles.Count).Where(i => !isTest[i]).ToList();
            var test = Enumerable.Range(0, styles.Count).Where(i => isTest[i]).ToList();
            var trainLabels = train.Select(i => styles[i]).ToList();
            var trainArtists = train.Select(i => artists[i]).ToList();
            if (design.Ensemble is { } weights)
            {
                var x = design.Views[0];
                var trainX = train.Select(i => x[i]).ToList();
                var heads = new List<(float Weight, SoftmaxLike Head)>();
                if (weights.Softmax > 0)
                {
                    var softmax = SoftmaxClassifier.Train(trainX, trainLabels, design.Options);
                    heads.Add((weights.Softmax, new SoftmaxLike(softmax.Classes, v => softmax.Predict(v))));
                }

                if (weights.Lda > 0)
                {
                    heads.Add((weights.Lda, SoftmaxLike.From(ShrinkageLdaClassifier.Train(trainX, trainLabels, weights.Shrinkage))));
                }

                if (weights.Knn > 0)
                {
                    var knn = new KnnClassifier(trainX, trainLabels, weights.K);
                    heads.Add((weights.Knn, new SoftmaxLike(knn.Classes, v => knn.Predict(v))));
                }

                var roundRows = new List<float[]>();
                foreach (var i in test)
                {
                    var row = new float[classes.Count];
                    foreach (var (w, head) in heads)
                    {
                        var p = head.Predict(x[i]);
                        for (var c = 0; c < p.Length; c++)
                        {
                            row[classes.IndexOf(head.Classes[c])] += w * p[c];
                        }
                    }

                    roundRows.Add(row);
                }

                var ensembleActual = test.Select(i => styles[i]).ToList();
                worst = Math.Min(worst, ClassificationReport.Create(classes, roundRows, ensembleActual).Top1);
                predictions.AddRange(roundRows);
                actual.AddRange(ensembleActual);
                continue;
            }

            if (design.LdaShrinkage is { } lambda)
            {
                var lda = SoftmaxLike.From(ShrinkageLdaClassifier.Train([.. train.Select(i => design.Views[0][i])], trainLabels, lambda));
                foreach (var i in test)
                {
                    var p = lda.Predict(design.Views[0][i]);
                    var row = new float[classes.Count];
                    for (var c = 0; c < p.Length; c++)
                    {
                        row[classes.IndexOf(lda.Classes[c])] = p[c];
                    }

                    predictions.Add(row);
                    actual.Add(styles[i]);
                }

                continue;
            }

            IReadOnlyList<SoftmaxClassifier> models = design.ViewsAsSamples
                ? [SoftmaxClassifier.Train([.. design.Views.SelectMany(v => train.Select(i => v[i]))], [.. design.Views.SelectMany(_ => trainLabels)], design.Options, [.. design.Views.SelectMany(_ => trainArtists)])]
                : [.. design.Views.Select(v => SoftmaxClassifier.Train([.. train.Select(i => v[i])], trainLabels, design.Options, trainArtists))];
            var roundPredictions = new List<float[]>();
            foreach (var i in test)
            {
                var sum = new float[classes.Count];
                var votes = design.ViewsAsSamples ? design.Views.Select(v => (models[0], v[i])) : models.Zip(design.Views, (m, v) => (m, v[i]));
                foreach (var (m, x) in votes)
                {
                    var p = m.Predict(x);
                    for (var c = 0; c < p.Length; c++)
                    {
                        sum[classes.IndexOf(m.Classes[c])] += p[c];
                    }
                }

                roundPredictions.Add(sum);
            }

            var roundActual = test.Select(i => styles[i]).ToList();
            worst = Math.Min(worst, ClassificationReport.Create(classes, roundPredictions, roundActual).Top1);
            predictions.AddRange(roundPredictions);
            actual.AddRange(roundActual);
        }

        return (ClassificationReport.Create(classes, predictions, actual), worst);
    }

    /// <summary>Element-wise mean of each work's vectors over <paramref name="views"/>.</summary>
    private static List<float[]> Mean(List<IReadOnlyList<float[]>> views) =>
        [.. Enumerable.Range(0, views[0].Count).Select(i =>
        {
            var sum = new float[views[0][i].Length];
            foreach (var v in views)
            {
                TensorPrimitives.Add(sum, v[i], sum);
            }

            TensorPrimitives.Divide(sum, views.Count, sum);
            return sum;
        })];

    /// <summary>Either head behind one Predict.</summary>
    private sealed record SoftmaxLike(IReadOnlyList<string> Classes, Func<float[], float[]> Predict)
    {
        public static SoftmaxLike From(ShrinkageLdaClassifier lda) => new(lda.Classes, x => lda.Predict(x));
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
