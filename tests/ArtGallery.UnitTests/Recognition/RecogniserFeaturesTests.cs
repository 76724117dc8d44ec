using ArtGallery.Core.Recognition;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.UnitTests.Recognition;

public class RecogniserFeaturesTests
{
    [Fact]
    public void From_WithAWholeView_IsTheMeanOfTheCropsAndTheWholeViewsFeatures()
    {
        var features = RecogniserFeatures.From([1f, 3f], [5f], [3f, 1f, -5f]);

        Assert.Equal([2f, 2f, 0f], features);
    }

    [Fact]
    public void From_WithoutAWholeView_IsTheCropsFeaturesAlone()
    {
        Assert.Equal([1f, 3f, 5f], RecogniserFeatures.From([1f, 3f], [5f], []));
        Assert.Equal([1f, 3f, 5f], RecogniserFeatures.From(new EncodedImage([1f, 3f], [5f])));
    }

    [Fact]
    public void From_AnEncodedImageWithItsWholeView_ReadsBothViews()
    {
        var image = new EncodedImage([1f, 3f], [5f]) { Whole = new EncodedImage([3f, 1f], [-5f]) };

        Assert.Equal([2f, 2f, 0f], RecogniserFeatures.From(image));
    }

    [Fact]
    public void From_AWholeViewOfAnotherLength_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RecogniserFeatures.From([1f, 3f], [5f], [1f, 2f]));
    }
}
