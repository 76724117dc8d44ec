using ArtGallery.Engines.Encoding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.UnitTests.Engines;

public class EncoderPreprocessingTests
{
    [Fact]
    public void WriteBgrMinusMean_WritesPlanarBgrInThatOrder_MinusTheMeanImage()
    {
        using var image = new Image<Rgb24>(EncoderPreprocessing.Size, EncoderPreprocessing.Size, new Rgb24(200, 100, 50));
        image[3, 2] = new Rgb24(10, 20, 30);
        var mean = new float[EncoderPreprocessing.TensorLength];
        const int plane = EncoderPreprocessing.Size * EncoderPreprocessing.Size;
        Array.Fill(mean, 1f, 0, plane);          // B plane
        Array.Fill(mean, 2f, plane, plane);      // G plane
        Array.Fill(mean, 3f, 2 * plane, plane);  // R plane
        var tensor = new float[EncoderPreprocessing.TensorLength];

        EncoderPreprocessing.WriteBgrMinusMean(image, mean, tensor);

        Assert.Equal(50f - 1f, tensor[0]);
        Assert.Equal(100f - 2f, tensor[plane]);
        Assert.Equal(200f - 3f, tensor[2 * plane]);
        var pixel = (2 * EncoderPreprocessing.Size) + 3;
        Assert.Equal(30f - 1f, tensor[pixel]);
        Assert.Equal(20f - 2f, tensor[plane + pixel]);
        Assert.Equal(10f - 3f, tensor[(2 * plane) + pixel]);
    }

    [Fact]
    public void WriteBgrMinusMean_RejectsImagesThatAreNot224Square()
    {
        using var image = new Image<Rgb24>(100, 224);
        Assert.Throws<ArgumentException>(() =>
            EncoderPreprocessing.WriteBgrMinusMean(image, new float[EncoderPreprocessing.TensorLength], new float[EncoderPreprocessing.TensorLength]));
    }

    [Theory]
    [InlineData(640, 480)]
    [InlineData(300, 900)]
    [InlineData(100, 100)]
    public void CenterCropResize_AlwaysGives224Square(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        using var square = EncoderPreprocessing.CenterCropResize(image);
        Assert.Equal((224, 224), (square.Width, square.Height));
    }

    [Fact]
    public void CenterCropResize_KeepsTheCentreAndDropsTheSides()
    {
        // A wide image: red left third, green centre, blue right third. The crop sees only green.
        using var image = new Image<Rgb24>(672, 224);
        for (var x = 0; x < 672; x++)
        {
            for (var y = 0; y < 224; y++)
            {
                image[x, y] = x < 224 ? new Rgb24(255, 0, 0) : x < 448 ? new Rgb24(0, 255, 0) : new Rgb24(0, 0, 255);
            }
        }

        using var square = EncoderPreprocessing.CenterCropResize(image);

        Assert.Equal(new Rgb24(0, 255, 0), square[112, 112]);
        Assert.Equal(new Rgb24(0, 255, 0), square[2, 112]);
        Assert.Equal(new Rgb24(0, 255, 0), square[221, 112]);
    }

    [Fact]
    public void ChannelMeans_AveragesEachPlane()
    {
        float[] mean = [1, 3, 10, 20, 100, 300];
        Assert.Equal([2f, 15f, 200f], EncoderPreprocessing.ChannelMeans(mean));
    }
}
