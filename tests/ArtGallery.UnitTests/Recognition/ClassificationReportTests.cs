using ArtGallery.Core.Recognition;
using ArtGallery.Evaluation.Recognition;

namespace ArtGallery.UnitTests.Recognition;

public class ClassificationReportTests
{
    [Fact]
    public void Create_CountsTopKConfusionAndMacroF1()
    {
        string[] classes = ["a", "b", "c"];
        float[][] p =
        [
            [0.7f, 0.2f, 0.1f], // a → a
            [0.5f, 0.4f, 0.1f], // b → a (b second)
            [0.1f, 0.3f, 0.6f], // c → c
            [0.6f, 0.3f, 0.1f], // c → a (c third)
        ];

        var report = ClassificationReport.Create(classes, p, ["a", "b", "c", "c"]);

        Assert.Equal(0.5, report.Top1);
        Assert.Equal(1.0, report.Top3);
        Assert.Equal(1, report.Confusion[1, 0]);
        Assert.Equal(1, report.Confusion[2, 0]);
        Assert.Equal(0.5, report.Recall(2));
        // F1: a = 2·(1/3·1)/(4/3) = 0.5, b = 0, c = 2·(1·0.5)/1.5 = 2/3.
        Assert.Equal((0.5 + 0 + (2.0 / 3)) / 3, report.MacroF1, 6);
    }

    [Fact]
    public void Create_UnseenLabel_CountsAsWrong()
    {
        var report = ClassificationReport.Create(["a", "b"], [[0.9f, 0.1f]], ["z"]);

        Assert.Equal(0, report.Top1);
        Assert.Equal(0, report.Top3);
        Assert.Contains("z", report.Classes);
    }
}
