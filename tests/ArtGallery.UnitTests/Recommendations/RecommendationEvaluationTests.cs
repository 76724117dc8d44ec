using ArtGallery.Data.Entities;
using ArtGallery.Core.Recommendations;
using ArtGallery.Evaluation.Recommendations;
using Xunit.Abstractions;

namespace ArtGallery.UnitTests.Recommendations;

public class RecommendationEvaluationTests(ITestOutputHelper output)
{
    [Fact]
    public void Run_OnAClusteredCatalogue_ForYouBeatsPopularityAndRandom_AndIsMoreVariedThanNearestNeighbours()
    {
        var works = FeedRankerTests.Collection();

        var scores = RecommendationEvaluation.Run([.. works.Values], new SimulationOptions { Visitors = 120 }).Overall.ToDictionary(s => s.Name);

        foreach (var s in scores.Values)
        {
            output.WriteLine($"{s.Name}: ndcg10={s.Ndcg10:0.000} hr10={s.HitRate10:0.000} diversity={s.Diversity:0.000} coverage={s.Coverage:0.000}");
        }

        // Five styles, one to three liked: popularity and random already score 0.4 here, so the margins are absolute.
        Assert.True(scores["for you"].Ndcg10 > scores["popularity"].Ndcg10 + 0.3);
        Assert.True(scores["for you"].Ndcg10 > scores["random"].Ndcg10 + 0.3);
        Assert.True(scores["for you"].Diversity > scores["nearest neighbours"].Diversity);
        Assert.InRange(scores["random"].Ndcg10, 0.15, 0.7); // one to three of five styles liked: chance is 1/5 to 3/5
    }

    [Fact]
    public void Run_OnACatalogueWithAOneWorkStyle_SimulatesTheOtherStylesAndKeepsThatWorkACandidate()
    {
        var works = FeedRankerTests.Collection();
        var lonely = works.Values.First();
        var catalogue = works.Values.Select(w => w.ArtworkId == lonely.ArtworkId ? w with { Style = "one-work style" } : w).ToList();

        var result = RecommendationEvaluation.Run(catalogue, new SimulationOptions { Visitors = 60 });

        Assert.Equal(4, result.Overall.Count);
        Assert.All(result.Overall, s => Assert.InRange(s.Ndcg10, 0, 1));
    }
}
