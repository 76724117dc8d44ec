using System.Reflection;
using ArtGallery.Core.Market;
using ArtGallery.Evaluation.Studio;

namespace ArtGallery.UnitTests.Architecture;

/// <summary>Evaluation code (metrics, simulators, benchmarks) stays out of the product: the web host never references it.</summary>
public sealed class EvaluationBoundaryTests
{
    private const string Evaluation = "ArtGallery.Evaluation";

    /// <summary>The types issue 17 moved out of Core (GanBenchmark is now StudioBenchmark).</summary>
    private static readonly string[] MovedTypes =
    [
        "SyntheticStyleVectors", "KnnMetrics", "VectorSetStatistics",
        "GanBenchmark", "StudioBenchmark", "GanTrainingImages", "GanEvaluation", "FrechetDistance",
        "RecommendationEvaluation",
        "ArtistSplit", "ClassificationReport", "ShrinkageLdaClassifier", "KnnClassifier", "StyleFeatureExtractor",
    ];

    [Fact]
    public void Web_NeitherDirectlyNorThroughItsOwnAssemblies_ReferencesTheEvaluationProject()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(ArtGallery.Web.Features.Studio.StudioOwner).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                Assert.NotEqual(Evaluation, reference.Name);
                if (reference.Name!.StartsWith("ArtGallery.", StringComparison.Ordinal) && seen.Add(reference.Name))
                {
                    pending.Enqueue(Assembly.Load(reference));
                }
            }
        }

        Assert.Contains("ArtGallery.Core", seen);
    }

    [Fact]
    public void Core_ContainsNoneOfTheMovedEvaluationTypes()
    {
        var coreTypes = typeof(MarketService).Assembly.GetTypes().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var moved in MovedTypes)
        {
            Assert.DoesNotContain(moved, coreTypes);
        }

        Assert.Equal(Evaluation, typeof(FrechetDistance).Assembly.GetName().Name);
    }
}
