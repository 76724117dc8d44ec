using ArtGallery.Evaluation.Recognition;

namespace ArtGallery.UnitTests.Recognition;

public class TagLabelsTests
{
    private const string People = "path,people\na/1.jpg,1\na/2.jpg,0\nb/3.jpg,1\nb/4.jpg,0\n";

    private static Func<string, bool> Files(params string[] paths)
    {
        var set = paths.ToHashSet(StringComparer.Ordinal);
        return set.Contains;
    }

    [Fact]
    public void Parse_ZeroOneColumn_ReadsRowsAndAssignSplitsThemByFolder()
    {
        var (column, rows) = TagLabels.Parse(People, null, "people.csv");
        var sets = TagLabels.Assign(column, rows, "train", "test", Files("train/a/1.jpg", "train/a/2.jpg", "test/b/3.jpg", "test/b/4.jpg"));

        Assert.Equal("people", sets.Column);
        Assert.True(sets.Binary);
        Assert.Equal(["a/1.jpg", "a/2.jpg"], sets.Train.Select(r => r.Path));
        Assert.Equal(["1", "0"], sets.Test.Select(r => r.Tag));
    }

    [Fact]
    public void Parse_SeveralColumns_NeedsColumnAndRejectsAnUnknownOne()
    {
        const string text = "path,people,subject\nx.jpg,1,boat\n";

        Assert.Contains("--column", Assert.Throws<FormatException>(() => TagLabels.Parse(text, null, "f.csv")).Message, StringComparison.Ordinal);
        Assert.Contains("no column \"mood\"", Assert.Throws<FormatException>(() => TagLabels.Parse(text, "mood", "f.csv")).Message, StringComparison.Ordinal);
        Assert.Equal("boat", TagLabels.Parse(text, "Subject", "f.csv").Rows[0].Tag);
    }

    [Fact]
    public void Parse_TagNames_AreNotBinary()
    {
        var (column, rows) = TagLabels.Parse("path,subject\na.jpg,boat\nb.jpg,sea\nc.jpg,boat\n", null, "f.csv");
        var sets = TagLabels.Assign(column, rows, "tr", "te", Files("tr/a.jpg", "tr/b.jpg", "te/c.jpg"));

        Assert.False(sets.Binary);
        Assert.Single(sets.Test);
    }

    [Fact]
    public void Assign_ImageInNeitherFolder_IsAnErrorUnlessSkipped()
    {
        var (column, rows) = TagLabels.Parse(People, null, "people.csv");
        var exists = Files("train/a/1.jpg", "train/a/2.jpg", "test/b/3.jpg", "test/b/4.jpg".Replace("4", "5", StringComparison.Ordinal), "test/b/9.jpg");

        var error = Assert.Throws<InvalidDataException>(() => TagLabels.Assign(column, rows, "train", "test", exists));
        Assert.Contains("1 of 4 labelled images are in neither", error.Message, StringComparison.Ordinal);
        Assert.Contains("b/4.jpg", error.Message, StringComparison.Ordinal);
        // Skipped, the test set keeps one positive only: AUC needs both classes.
        Assert.Contains("AUC and AP need", Assert.Throws<InvalidDataException>(() => TagLabels.Assign(column, rows, "train", "test", exists, allowMissing: true)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_ImageInBothFolders_IsAnError()
    {
        var (column, rows) = TagLabels.Parse(People, null, "people.csv");

        var error = Assert.Throws<InvalidDataException>(() => TagLabels.Assign(column, rows, "d", "d", Files("d/a/1.jpg", "d/a/2.jpg", "d/b/3.jpg", "d/b/4.jpg")));
        Assert.Contains("in both --train and --test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_TrainingSetOfOneClass_IsAnError()
    {
        var (column, rows) = TagLabels.Parse(People, null, "people.csv");

        var error = Assert.Throws<InvalidDataException>(() => TagLabels.Assign(column, rows, "train", "test", Files("train/a/1.jpg", "train/b/3.jpg", "test/a/2.jpg", "test/b/4.jpg")));
        Assert.Contains("every labelled image in --train is \"1\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicatePathOrMissingValue_NamesTheLine()
    {
        Assert.Contains(":3:", Assert.Throws<FormatException>(() => TagLabels.Parse("path,people\na.jpg,1\na.jpg,0\n", null, "f.csv")).Message, StringComparison.Ordinal);
        Assert.Contains(":2:", Assert.Throws<FormatException>(() => TagLabels.Parse("path,people\na.jpg,\n", null, "f.csv")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => TagLabels.Parse("file,people\na.jpg,1\n", null, "f.csv"));
    }

    [Fact]
    public void Auc_And_AveragePrecision_MatchHandCheckedValues()
    {
        // scikit-learn's documented example: y = [0, 0, 1, 1], scores [.1, .4, .35, .8] → AUC .75, AP .8333.
        double[] scores = [0.1, 0.4, 0.35, 0.8];
        bool[] positive = [false, false, true, true];

        Assert.Equal(0.75, BinaryScores.Auc(scores, positive), 9);
        Assert.Equal(5.0 / 6, BinaryScores.AveragePrecision(scores, positive), 9);
    }

    [Fact]
    public void Auc_And_AveragePrecision_CountTiesAsOneThreshold()
    {
        // One positive and one negative tied: AUC ½; one threshold with precision ½ at recall 1: AP ½.
        Assert.Equal(0.5, BinaryScores.Auc([0.5, 0.5], [true, false]), 9);
        Assert.Equal(0.5, BinaryScores.AveragePrecision([0.5, 0.5], [true, false]), 9);
        Assert.Throws<ArgumentException>(() => BinaryScores.Auc([0.1, 0.2], [true, true]));
    }
}
