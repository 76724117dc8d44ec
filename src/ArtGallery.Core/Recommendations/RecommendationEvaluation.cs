using ArtGallery.Data.Entities;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Recommendations;

/// <summary>Accuracy and variety of one recommender over the simulated visitors.</summary>
public sealed record RecommenderScore(string Name, double Ndcg10, double HitRate10, double Diversity, double Coverage);

/// <summary>Settings of <see cref="RecommendationEvaluation.Run"/>.</summary>
public sealed record SimulationOptions
{
    public int Visitors { get; init; } = 300;

    /// <summary>Works each visitor has liked before the feed is asked for.</summary>
    public int History { get; init; } = 6;

    /// <summary>Works each visitor dismissed (drawn from styles they do not like).</summary>
    public int Dismissals { get; init; } = 2;

    public int Seed { get; init; } = 1;
}

/// <summary>
/// Offline evaluation with simulated visitors whose tastes are hidden from the recommenders: each
/// visitor likes one to three styles of the catalogue (unequally), has liked a few works of them and
/// dismissed a few others. A recommender is good when its first ten cards are unseen works of the
/// liked styles (NDCG@10, binary gains) and when it finds the visitor's last like, held out
/// (HR@10). Diversity is the mean pairwise style distance (1 − cosine) within the ten; coverage the
/// share of the catalogue that reaches anyone's ten. Baselines: popularity (likes of all simulated
/// visitors), random, and plain nearest neighbours of the visitor's mean liked vector.
/// </summary>
public static class RecommendationEvaluation
{
    private sealed record Visitor(IReadOnlyList<string> Styles, HashSet<string> Liked, List<int> History, int HeldOut, List<int> Dismissed);

    public static IReadOnlyList<RecommenderScore> Run(IReadOnlyList<WorkVectors> catalogue, SimulationOptions? options = null, FeedOptions? feed = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        options ??= new SimulationOptions();
        feed = (feed ?? new FeedOptions()) with { Count = 10 };
        var works = catalogue.Where(w => w.Style is not null).ToDictionary(w => w.ArtworkId);
        var styles = works.Values.Select(w => w.Style!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (styles.Count < 4)
        {
            throw new ArgumentException("The simulation needs a catalogue with at least four tagged styles.", nameof(catalogue));
        }

        var random = new Random(options.Seed);
        var visitors = Enumerable.Range(0, options.Visitors).Select(_ => Simulate(works, styles, options, random)).ToList();
        var popularity = visitors.SelectMany(v => v.History).GroupBy(id => id).ToDictionary(g => g.Key, g => (double)g.Count());
        var maxPopularity = popularity.Values.DefaultIfEmpty(1).Max();
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        IReadOnlyList<int> Recommender(Visitor v)
        {
            var events = v.History.Select((id, i) => new Engagement(id, EngagementKind.Like, now.AddHours(i - v.History.Count)))
                .Concat(v.Dismissed.Select(id => new Engagement(id, EngagementKind.Dismiss, now.AddMinutes(-1))));
            var profile = TasteProfile.Build(events, works, now);
            var candidates = works.Values.Select(w => new FeedCandidate(w, CandidateSource.Interest, Popularity: popularity.GetValueOrDefault(w.ArtworkId) / maxPopularity)).ToList();
            return [.. FeedRanker.Rank(profile, candidates, feed).Select(f => f.ArtworkId)];
        }

        IReadOnlyList<int> Popularity(Visitor v) =>
            [.. works.Keys.Where(id => !Seen(v, id)).OrderByDescending(id => popularity.GetValueOrDefault(id)).ThenBy(id => id).Take(10)];

        var randomBaseline = new Random(options.Seed + 1);
        IReadOnlyList<int> Random(Visitor v) =>
            [.. works.Keys.Where(id => !Seen(v, id)).OrderBy(_ => randomBaseline.Next()).Take(10)];

        IReadOnlyList<int> NearestNeighbours(Visitor v)
        {
            var liked = v.History.Select(id => works[id]).ToList();
            var style = Mean(liked.Select(w => w.StyleVector));
            var content = Mean(liked.Select(w => w.ContentVector));
            return [.. works.Values.Where(w => !Seen(v, w.ArtworkId))
                .OrderByDescending(w => (feed.StyleWeight * StyleDescriptors.CosineSimilarity(style, w.StyleVector)) + ((1 - feed.StyleWeight) * StyleDescriptors.CosineSimilarity(content, w.ContentVector)))
                .ThenBy(w => w.ArtworkId).Take(10).Select(w => w.ArtworkId)];
        }

        return
        [
            Score("for you", visitors, works, Recommender),
            Score("popularity", visitors, works, Popularity),
            Score("random", visitors, works, Random),
            Score("nearest neighbours", visitors, works, NearestNeighbours),
        ];
    }

    private static bool Seen(Visitor v, int id) => v.History.Contains(id) || v.Dismissed.Contains(id);

    private static Visitor Simulate(Dictionary<int, WorkVectors> works, List<string> styles, SimulationOptions options, Random random)
    {
        var count = 1 + random.Next(3);
        var liked = styles.OrderBy(_ => random.Next()).Take(count).ToList();
        // Unequal tastes: the first style is liked most.
        var weights = liked.Select((_, i) => 1.0 / (i + 1)).ToArray();
        var pool = works.Values.Where(w => liked.Contains(w.Style!)).Select(w => w.ArtworkId).OrderBy(id => id).ToList();
        var picks = new List<int>();
        while (picks.Count < options.History + 1 && picks.Count < pool.Count)
        {
            var style = liked[Pick(weights, random)];
            var choices = pool.Where(id => works[id].Style == style && !picks.Contains(id)).ToList();
            if (choices.Count > 0)
            {
                picks.Add(choices[random.Next(choices.Count)]);
            }
        }

        var others = works.Values.Where(w => !liked.Contains(w.Style!)).Select(w => w.ArtworkId).OrderBy(id => id).ToList();
        var dismissed = others.OrderBy(_ => random.Next()).Take(options.Dismissals).ToList();
        return new Visitor(liked, [.. liked], picks[..^1], picks[^1], dismissed);
    }

    private static int Pick(double[] weights, Random random)
    {
        var r = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r <= 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private static RecommenderScore Score(string name, List<Visitor> visitors, Dictionary<int, WorkVectors> works, Func<Visitor, IReadOnlyList<int>> recommend)
    {
        double ndcg = 0, hits = 0, diversity = 0;
        var shown = new HashSet<int>();
        var idealDcg = Enumerable.Range(0, 10).Sum(r => 1 / Math.Log2(r + 2));
        foreach (var v in visitors)
        {
            var list = recommend(v);
            shown.UnionWith(list);
            var dcg = list.Select((id, r) => v.Liked.Contains(works[id].Style!) ? 1 / Math.Log2(r + 2) : 0).Sum();
            ndcg += dcg / idealDcg;
            hits += list.Contains(v.HeldOut) ? 1 : 0;
            var pairs = 0;
            var distance = 0.0;
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    distance += 1 - StyleDescriptors.CosineSimilarity(works[list[i]].StyleVector, works[list[j]].StyleVector);
                    pairs++;
                }
            }

            diversity += pairs == 0 ? 0 : distance / pairs;
        }

        var n = visitors.Count;
        return new RecommenderScore(name, ndcg / n, hits / n, diversity / n, (double)shown.Count / works.Count);
    }

    private static float[] Mean(IEnumerable<float[]> vectors)
    {
        float[]? sum = null;
        var count = 0;
        foreach (var v in vectors)
        {
            sum ??= new float[v.Length];
            System.Numerics.Tensors.TensorPrimitives.Add(sum, v, sum);
            count++;
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(sum!, count, sum);
        return sum!;
    }
}
