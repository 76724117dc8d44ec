using ArtGallery.Core.Studio;
using ArtGallery.Core.Studio.StyleTransfer;

namespace ArtGallery.UnitTests.Studio;

public class CreationTitleTests
{
    [Fact]
    public void CreationTitle_NamesTheWorks_NeverTheirIds()
    {
        Assert.Equal("My photo in the style of “Starry Night”", StyleTransferJobs.CreationTitle(["Starry Night"]));
        Assert.Equal("My photo in the style of “A”, an image of my own and “B”", StyleTransferJobs.CreationTitle(["A", null, "B"]));
        Assert.Equal("My photo in the style of an image of my own", StyleTransferJobs.CreationTitle([null]));
        Assert.Equal(80 + "My photo in the style of “”".Length, StyleTransferJobs.CreationTitle([new string('x', 300)]).Length);
    }
}
