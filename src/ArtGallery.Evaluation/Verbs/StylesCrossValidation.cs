using System.Numerics.Tensors;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Recognition;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>eval styles-cv</c>: artist-grouped k-fold cross-validation of recogniser designs on one labelled
/// folder. A single artist-disjoint split of ~400 works has a standard error of ±2.4 points and two
/// seeds differed by 10 points of top-1; pooling every work's out-of-fold prediction is the figure to
/// choose a design by.
/// </summary>
internal static class StylesCrossValidation
{
    public static Command Create(HostStarter cli)
    {
        var source = new Option<DirectoryInfo>("--source") { Description = "Folder with images and labels.csv (path,style,artist_slug).", Required = true };
        var folds = new Option<int>("--folds") { DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var designFilter = new Option<string?>("--only") { Description = "Run only the designs whose name contains this text." };
        var quartersOption = new Option<bool>("--quarters") { Description = "Also load the four 224-px quarters of the 448-px centre square (four more network passes per work, uncached so far) and run the designs that use them." };
        var repeats = new Option<int>("--repeats") { Description = "Instead of folds: this many `eval split` holdouts (seeds 1..N, 30% of each style's artists, prolific artists kept in train), pooled.", DefaultValueFactory = _ => 0 };
        var command = new Command("styles-cv", "Cross-validate recogniser designs with folds grouped by artist; prints pooled out-of-fold accuracy per design.") { source, folds, seed, repeats, designFilter, quartersOption };
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

            using var host = await cli.StartAsync(ct);
            var extractor = host.Services.GetRequiredService<StyleFeatureExtractor>();
            var cache = Path.Combine(Environment.GetEnvironmentVariable("AG_DATA") ?? ".data", "eval-cache");
            var model = await EvalVerb.LoadAsync(extractor, folder, rows, EncoderView.Model224, cache, "Model224", ct);
            var full = await EvalVerb.LoadAsync(extractor, folder, rows, EncoderView.Full448, cache, "Full448", ct);
            var quarters = new List<EvalVerb.LabelledSet>();
            foreach (var view in parse.GetValue(quartersOption) ? new[] { EncoderView.Quarter448TopLeft, EncoderView.Quarter448TopRight, EncoderView.Quarter448BottomLeft, EncoderView.Quarter448BottomRight } : [])
            {
                quarters.Add(await EvalVerb.LoadAsync(extractor, folder, rows, view, cache, view.ToString(), ct));
            }

            if (model.Styles.Count != full.Styles.Count || quarters.Any(q => q.Styles.Count != model.Styles.Count))
            {
                AnsiConsole.MarkupLine("[red]the two views did not decode the same works[/]");
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
            foreach (var design in Designs(model, full, quarters).Where(d => only is null || d.Name.Contains(only, StringComparison.Ordinal)))
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
    private sealed record Design(string Name, IReadOnlyList<IReadOnlyList<float[]>> Views, SoftmaxOptions Options, bool ViewsAsSamples = false, double? LdaShrinkage = null);

    private static IEnumerable<Design> Designs(EvalVerb.LabelledSet model, EvalVerb.LabelledSet full, List<EvalVerb.LabelledSet> quarters)
    {
        static float[] Product(LayerMoments[] m) => RecogniserFeatures.From(StyleEncoder.Describe(m));
        static float[] Style(LayerMoments[] m) => StyleEncoder.Describe(m).Style;
        var p224 = model.Features(Product);
        var p448 = full.Features(Product);
        var mean = Mean([p224, p448]);
        var noCalibration = new SoftmaxOptions { CalibrationFolds = 0 };
        // What the product's recogniser reads: the stored crop and whole view, combined by RecogniserFeatures.
        var product = model.Moments.Zip(full.Moments, (c, w) =>
        {
            var (crop, whole) = (StyleEncoder.Describe(c), StyleEncoder.Describe(w));
            return RecogniserFeatures.From(crop.Style, crop.Content, RecogniserFeatures.From(whole.Style, whole.Content));
        }).ToList();
        yield return new("product: 224 crop + stored whole view at 448, mean", [product], noCalibration);
        yield return new("224: style + content (search's view alone; the one-view fallback)", [p224], noCalibration);
        yield return new("224: style + content, artist weight^0.5", [p224], noCalibration with { GroupWeightExponent = 0.5f });
        yield return new("224: style + content, artist weight^1", [p224], noCalibration with { GroupWeightExponent = 1f });
        yield return new("224: style + content, classes balanced", [p224], noCalibration with { BalanceClasses = true });
        yield return new("224: style + content, classes balanced, artist weight^0.5", [p224], noCalibration with { BalanceClasses = true, GroupWeightExponent = 0.5f });
        yield return new("224: style + content, L2=0.3", [p224], noCalibration with { L2 = 0.3f });
        yield return new("224: style only", [model.Features(Style)], noCalibration);
        yield return new("448: style + content", [p448], noCalibration);
        yield return new("mean(224, 448)", [mean], noCalibration);
        yield return new("mean(224, 448), artist weight^0.5", [mean], noCalibration with { GroupWeightExponent = 0.5f });
        yield return new("mean(224, 448), artist weight^1", [mean], noCalibration with { GroupWeightExponent = 1f });
        yield return new("224 and 448 models, probabilities averaged", [p224, p448], noCalibration);
        yield return new("224 and 448 models, averaged, artist weight^0.5", [p224, p448], noCalibration with { GroupWeightExponent = 0.5f });
        foreach (var lambda in new[] { 0.1, 0.3, 0.5, 0.8 })
        {
            yield return new($"LDA λ={lambda}: 224 style + content", [p224], new SoftmaxOptions(), LdaShrinkage: lambda);
            yield return new($"LDA λ={lambda}: mean(224, 448)", [mean], new SoftmaxOptions(), LdaShrinkage: lambda);
        }

        if (quarters.Count == 0)
        {
            yield break;
        }

        var q = quarters.Select(v => v.Features(Product)).ToList();
        yield return new("mean of the 4 quarters", [Mean(q)], noCalibration);
        yield return new("mean(224, 448, 4 quarters)", [Mean([p224, p448, .. q])], noCalibration);
        yield return new("all 6 views as samples, averaged", [p224, p448, .. q], noCalibration, ViewsAsSamples: true);
    }

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
