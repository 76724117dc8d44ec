using ArtGallery.Core.Recognition;

namespace ArtGallery.UnitTests.Recognition;

public class NoveltyAndVerdictTests
{
    /// <summary>Two tight clusters of positive vectors around different directions, like ReLU descriptors of two styles.</summary>
    private static List<float[]> Clusters(int perCluster, int seed)
    {
        var random = new Random(seed);
        var data = new List<float[]>();
        for (var c = 0; c < 2; c++)
        {
            for (var n = 0; n < perCluster; n++)
            {
                var v = new float[16];
                for (var d = 0; d < v.Length; d++)
                {
                    v[d] = 1f + (d % 2 == c ? 2f : 0f) + (0.2f * (float)random.NextDouble());
                }

                data.Add(v);
            }
        }

        return data;
    }

    [Fact]
    public void Novelty_FlagsAVectorUnlikeTheTrainingSet_AndAlmostNoNewOnesLikeIt()
    {
        var detector = NoveltyDetector.Fit(Clusters(100, 1), quantile: 0.01);
        var fresh = Clusters(100, 2);
        var falseAlarms = fresh.Count(f => detector.IsNovel(f));
        // Fresh draws from the same clusters: about the 1% quantile's share, never most of them.
        Assert.InRange(falseAlarms, 0, 10);

        var unlike = new float[16];
        unlike[0] = 5f;   // one dominant channel: neither cluster's direction
        Assert.True(detector.IsNovel(unlike), $"similarity {detector.Similarity(unlike):F3} vs threshold {detector.Threshold:F3}");
    }

    [Fact]
    public void Novelty_SimilarityOfATrainingWorkIsOne()
    {
        var data = Clusters(20, 3);
        var detector = NoveltyDetector.Fit(data);
        Assert.Equal(1f, detector.Similarity(data[5]), 4);
    }

    [Fact]
    public void Judge_NoveltyWins_OverAConfidentSoftmax()
    {
        Assert.Equal(StyleVerdict.Unlike, StyleRecognitionService.Judge([0.99f, 0.01f], similarity: 0.1f, noveltyThreshold: 0.5f));
    }

    [Theory]
    [InlineData(StyleVerdict.Confident, 0.10f, 0.80f, 0.10f)]
    [InlineData(StyleVerdict.Unsure, 0.20f, 0.40f, 0.20f, 0.20f)]   // clearly ahead, but right less than half the time
    [InlineData(StyleVerdict.Unsure, 0.40f, 0.50f, 0.10f)]          // top two too close
    public void Judge_IsUnsure_WhenTheTopStyleIsNotClearlyAhead(StyleVerdict expected, params float[] probabilities)
    {
        Assert.Equal(expected, StyleRecognitionService.Judge(probabilities, similarity: 0.9f, noveltyThreshold: 0.5f));
    }
}
