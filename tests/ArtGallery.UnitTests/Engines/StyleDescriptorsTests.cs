using ArtGallery.Engines.Encoding;

namespace ArtGallery.UnitTests.Engines;

public class StyleDescriptorsTests
{
    [Fact]
    public void ChannelMoments_GivesMeanAndPopulationStdPerChannel()
    {
        float[] activations = [1, 2, 3, 4, /* channel 2 */ 5, 5, 5, 5];
        var means = new float[2];
        var stds = new float[2];

        StyleDescriptors.ChannelMoments(activations, 2, means, stds);

        Assert.Equal(2.5f, means[0], 5);
        Assert.Equal(MathF.Sqrt(1.25f), stds[0], 5);
        Assert.Equal(5f, means[1], 5);
        Assert.Equal(0f, stds[1], 5);
    }

    [Fact]
    public void ChannelMoments_RejectsLengthsThatDoNotSplitIntoChannels()
    {
        Assert.Throws<ArgumentException>(() => StyleDescriptors.ChannelMoments(new float[7], 2, new float[2], new float[2]));
    }

    [Fact]
    public void SignedSqrt_KeepsSignAndTakesRootOfMagnitude()
    {
        float[] values = [4, -9, 0];
        StyleDescriptors.SignedSqrt(values);
        Assert.Equal([2f, -3f, 0f], values);
    }

    [Fact]
    public void L2Normalise_GivesUnitLength_AndLeavesZeroAlone()
    {
        float[] values = [3, 4];
        StyleDescriptors.L2Normalise(values);
        Assert.Equal(0.6f, values[0], 6);
        Assert.Equal(0.8f, values[1], 6);

        float[] zero = [0, 0];
        StyleDescriptors.L2Normalise(zero);
        Assert.Equal([0f, 0f], zero);
    }

    [Fact]
    public void StyleEmbedding_IsUnitLength_AndWeighsEveryLayerEqually()
    {
        // A small layer and a large layer with very different magnitudes.
        var small = (Means: new float[] { 1, 2 }, Stds: new float[] { 3, 4 });
        var large = (Means: Enumerable.Repeat(1000f, 8).ToArray(), Stds: Enumerable.Repeat(500f, 8).ToArray());

        var embedding = StyleDescriptors.StyleEmbedding([small, large]);

        Assert.Equal(4 + 16, embedding.Length);
        Assert.Equal(1f, MathF.Sqrt(embedding.Sum(v => v * v)), 5);
        var smallNorm = MathF.Sqrt(embedding[..4].Sum(v => v * v));
        var largeNorm = MathF.Sqrt(embedding[4..].Sum(v => v * v));
        Assert.Equal(smallNorm, largeNorm, 5);
    }

    [Fact]
    public void ContentEmbedding_IsUnitLength()
    {
        var embedding = StyleDescriptors.ContentEmbedding([0, 1, 4, 9]);
        Assert.Equal(1f, MathF.Sqrt(embedding.Sum(v => v * v)), 5);
        Assert.Equal(0f, embedding[0]);
    }
}
