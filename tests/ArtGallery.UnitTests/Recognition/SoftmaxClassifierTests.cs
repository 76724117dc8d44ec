using ArtGallery.Core.Recognition;
using ArtGallery.Evaluation.Recognition;

namespace ArtGallery.UnitTests.Recognition;

public class SoftmaxClassifierTests
{
    /// <summary>Three Gaussian blobs in 8 dimensions, with a little overlap.</summary>
    private static (List<float[]> X, List<string> Y, List<string?> Groups) Blobs(int perClass, int seed, double spread = 0.8)
    {
        var random = new Random(seed);
        var centres = new[] { "cubism", "impressionism", "ukiyo-e" }
            .Select((name, c) => (name, centre: Enumerable.Range(0, 8).Select(d => d == c ? 3.0 : 0.0).ToArray())).ToList();
        var (x, y, groups) = (new List<float[]>(), new List<string>(), new List<string?>());
        foreach (var (name, centre) in centres)
        {
            for (var i = 0; i < perClass; i++)
            {
                x.Add([.. centre.Select(v => (float)(v + (spread * Gaussian(random))))]);
                y.Add(name);
                groups.Add($"{name}-artist-{i % 5}");
            }
        }

        return (x, y, groups);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Train_SeparableClasses_PredictsHeldOutExamplesCorrectly()
    {
        var (x, y, groups) = Blobs(40, seed: 1);
        var (testX, testY, _) = Blobs(20, seed: 2);

        var model = SoftmaxClassifier.Train(x, y, groups: groups);
        var report = ClassificationReport.Create(model.Classes, [.. testX.Select(v => model.Predict(v))], testY);

        Assert.Equal(["cubism", "impressionism", "ukiyo-e"], model.Classes);
        Assert.True(report.Top1 >= 0.95, $"top1 {report.Top1}");
    }

    [Fact]
    public void Predict_ReturnsAProbabilityDistribution()
    {
        var (x, y, _) = Blobs(20, seed: 3);
        var model = SoftmaxClassifier.Train(x, y);

        var p = model.Predict(x[0]);

        Assert.Equal(3, p.Length);
        Assert.All(p, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(1f, p.Sum(), 3);
    }

    [Fact]
    public void Train_OverlappingClasses_CalibratedConfidenceTracksAccuracy()
    {
        // Heavy overlap: an uncalibrated model trained to near-zero training loss would claim ~1.0.
        var (x, y, groups) = Blobs(80, seed: 4, spread: 2.2);
        var (testX, testY, _) = Blobs(80, seed: 5, spread: 2.2);

        var model = SoftmaxClassifier.Train(x, y, new SoftmaxOptions { L2 = 1e-4f, Iterations = 400 }, groups);
        var report = ClassificationReport.Create(model.Classes, [.. testX.Select(v => model.Predict(v))], testY);

        // 0.1: ten bins over 240 examples are noisy; miscalibrated models here land at 0.2 or more.
        Assert.True(report.ExpectedCalibrationError < 0.1, $"ECE {report.ExpectedCalibrationError}, T {model.Temperature}");
    }

    [Fact]
    public void Train_ImbalancedClasses_BalancingRaisesTheRareClassRecall()
    {
        var (x, y, _) = Blobs(60, seed: 6, spread: 1.6);
        var keep = Enumerable.Range(0, x.Count).Where(i => y[i] != "ukiyo-e" || i % 10 == 0).ToList();
        var (trainX, trainY) = (keep.Select(i => x[i]).ToList(), keep.Select(i => y[i]).ToList());
        var (testX, testY, _) = Blobs(60, seed: 7, spread: 1.6);

        double RareRecall(SoftmaxOptions options)
        {
            var model = SoftmaxClassifier.Train(trainX, trainY, options);
            var report = ClassificationReport.Create(model.Classes, [.. testX.Select(v => model.Predict(v))], testY);
            return report.Recall(report.Classes.ToList().IndexOf("ukiyo-e"));
        }

        Assert.True(RareRecall(new SoftmaxOptions { BalanceClasses = true }) > RareRecall(new SoftmaxOptions { BalanceClasses = false }));
    }

    [Fact]
    public void Train_WithOneClass_Throws()
    {
        Assert.Throws<ArgumentException>(() => SoftmaxClassifier.Train([[1f], [2f]], ["a", "a"]));
    }

    [Fact]
    public void BestTemperature_OverconfidentLogits_IsAboveOne()
    {
        // Logits say 99.9% but half are wrong: the fitted temperature must soften them.
        var heldOut = Enumerable.Range(0, 100).Select(i => (new[] { 7f, 0f }, i % 2)).ToList();

        Assert.True(SoftmaxClassifier.BestTemperature(heldOut) > 5f);
    }

    [Fact]
    public void ShrinkageLda_SeparableClasses_PredictsHeldOutExamplesCorrectly()
    {
        var (x, y, _) = Blobs(perClass: 40, seed: 1);
        var (testX, testY, _) = Blobs(perClass: 20, seed: 2);

        var model = ShrinkageLdaClassifier.Train(x, y, shrinkage: 0.3);
        var predicted = testX.Select(f => model.Classes[Array.IndexOf(model.Predict(f), model.Predict(f).Max())]).ToList();

        // Blob centres are 3σ/0.8 apart: a sound linear discriminant gets nearly all of them.
        Assert.True(predicted.Zip(testY).Count(p => p.First == p.Second) >= 57, "at most 3 of 60 held-out examples may be wrong");
        Assert.Equal(1f, model.Predict(testX[0]).Sum(), 3);
    }

    [Fact]
    public void Train_GroupWeighting_StopsOneProlificGroupDefiningItsClass()
    {
        // Class "a": one prolific group far to the right plus a few other groups near the middle-left;
        // class "b": spread groups to the left. Weighting groups equally moves "a"'s boundary towards
        // its many small groups, so a new "a" work like the small groups is recognised.
        var random = new Random(5);
        var (x, y, groups) = (new List<float[]>(), new List<string>(), new List<string?>());
        void Add(string label, string group, double centre, int count)
        {
            for (var i = 0; i < count; i++)
            {
                x.Add([(float)(centre + (0.3 * Gaussian(random))), (float)Gaussian(random)]);
                y.Add(label);
                groups.Add(group);
            }
        }

        Add("a", "prolific", 4, 120);
        foreach (var g in Enumerable.Range(0, 6))
        {
            Add("a", $"a-{g}", 0.4, 3);
            Add("b", $"b-{g}", -0.6, 20);
        }

        var plain = SoftmaxClassifier.Train(x, y, new SoftmaxOptions { CalibrationFolds = 0 }, groups);
        var weighted = SoftmaxClassifier.Train(x, y, new SoftmaxOptions { CalibrationFolds = 0, GroupWeightExponent = 1f }, groups);
        float ProbabilityOfA(SoftmaxClassifier model) => model.Predict([0.4f, 0f])[model.Classes.ToList().IndexOf("a")];

        Assert.True(ProbabilityOfA(weighted) > ProbabilityOfA(plain), $"weighted {ProbabilityOfA(weighted)} vs plain {ProbabilityOfA(plain)}");
    }
}
