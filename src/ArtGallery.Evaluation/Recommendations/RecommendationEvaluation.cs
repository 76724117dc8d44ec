using ArtGallery.Core.Recommendations;
using ArtGallery.Data.Entities;

namespace ArtGallery.Evaluation.Recommendations;

/// <summary>Accuracy and variety of one recommender over a set of visitors.</summary>
public sealed record RecommenderScore(string Name, double Ndcg10, double HitRate10, double Diversity, double Coverage, int Visitors);

/// <summary>The same scores for one kind of simulated visitor.</summary>
public sealed record SegmentScores(string Segment, IReadOnlyList<RecommenderScore> Scores);

public sealed record EvaluationResult(IReadOnlyList<RecommenderScore> Overall, IReadOnlyList<SegmentScores> Segments);

/// <summary>Settings of <see cref="RecommendationEvaluation.Run"/>.</summary>
public sealed record SimulationOptions
{
    public int Visitors { get; init; } = 300;

    /// <summary>Works each visitor has liked before the feed is asked for.</summary>
    public int History { get; init; } = 8;

    /// <summary>Works each visitor dismissed.</summary>
    public int Dismissals { get; init; } = 2;

    public int Seed { get; init; } = 1;
}

/// <summary>
/// Offline evaluation. <see cref="Run"/> simulates visitors whose tastes are hidden from the recommenders,
/// in three kinds (a fixed mix, stated in docs/recommendations.md):
/// <list type="bullet">
/// <item><b>steady</b> (40 %): likes one to three styles (unequally) and has liked works of them over the last month;</item>
/// <item><b>moved on</b> (30 %): liked works of a former style two to three months ago, then of one or two
/// current styles in the last two weeks, and dismissed one work of the former style;</item>
/// <item><b>noisy</b> (30 %): steady, but two of the likes are strays outside the visitor's styles.</item>
/// </list>
/// A recommender is good when its first ten cards are unseen works of the visitor's current styles
/// (NDCG@10, binary gains) and when it finds the visitor's next like, held out (HR@10). Diversity is the
/// mean pairwise style distance (1 − cosine) within the ten; coverage the share of the catalogue that
/// reaches anyone's ten. Baselines: popularity (likes of all simulated visitors), random, and plain
/// nearest neighbours of the visitor's mean liked vector (every like equal, dismissals ignored).
/// <see cref="LeaveLastOut"/> replays recorded events instead: each visitor's last like or save is held out.
/// </summary>
public static class RecommendationEvaluation
{
    public const string Mine = "for you";
    public const string PopularityName = "popularity";
    public const string RandomName = "random";
    public const string NearestName = "nearest neighbours";

    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One visitor as the recommenders see them (<see cref="Events"/>) and as the judge does (<see cref="Relevant"/>, <see cref="HeldOut"/>).</summary>
    private sealed record Visitor(string Segment, IReadOnlyList<Engagement> Events, Func<int, bool> Relevant, int HeldOut)
    {
        public HashSet<int> Seen { get; } = [.. Events.Select(e => e.ArtworkId)];

        public IEnumerable<int> Positives => Events.Where(e => e.Kind is EngagementKind.Like or EngagementKind.Save).Select(e => e.ArtworkId);
    }

    public static EvaluationResult Run(IReadOnlyList<WorkVectors> catalogue, SimulationOptions? options = null, FeedOptions? feed = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        options ??= new SimulationOptions();
        var works = catalogue.Where(w => w.Style is not null).ToDictionary(w => w.ArtworkId);
        // A simulated visitor draws up to History + Dismissals + 2 distinct works from one style: a style
        // with fewer (a real catalogue's one-work styles) cannot be anyone's taste here, though its
        // works stay candidates for every recommender.
        var needed = options.History + options.Dismissals + 2;
        var styles = works.Values.Select(w => w.Style!).GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() >= needed)
            .Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        if (styles.Count < 4)
        {
            throw new ArgumentException($"The simulation needs a catalogue with at least four tagged styles of {needed} works or more.", nameof(catalogue));
        }

        var random = new Random(options.Seed);
        var byStyle = styles.ToDictionary(s => s, s => works.Values.Where(w => w.Style == s).Select(w => w.ArtworkId).Order().ToList(), StringComparer.Ordinal);
        var visitors = Enumerable.Range(0, options.Visitors).Select(i => Simulate(i, byStyle, styles, options, random)).ToList();
        return Evaluate(works, visitors, feed, options.Seed);
    }

    /// <summary>
    /// Leave-last-out over recorded events: for every visitor with at least three likes or saves, the last one is
    /// held out and the recommenders see the events before it. Null when no visitor has enough events.
    /// </summary>
    public static EvaluationResult? LeaveLastOut(IReadOnlyList<WorkVectors> catalogue, IReadOnlyDictionary<string, IReadOnlyList<Engagement>> events, FeedOptions? feed = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(events);
        var works = catalogue.ToDictionary(w => w.ArtworkId);
        var visitors = new List<Visitor>();
        foreach (var history in events.Values)
        {
            var ordered = history.Where(e => works.ContainsKey(e.ArtworkId)).OrderBy(e => e.At).ToList();
            var positives = ordered.Select((e, i) => (e, i)).Where(p => p.e.Kind is EngagementKind.Like or EngagementKind.Save).ToList();
            if (positives.Count < 3)
            {
                continue;
            }

            var (last, index) = positives[^1];
            var before = ordered.Take(index).Where(e => e.ArtworkId != last.ArtworkId).ToList();
            visitors.Add(new Visitor("recorded", before, id => id == last.ArtworkId, last.ArtworkId));
        }

        return visitors.Count == 0 ? null : Evaluate(works, visitors, feed, 1);
    }

    private static EvaluationResult Evaluate(Dictionary<int, WorkVectors> works, List<Visitor> visitors, FeedOptions? feed, int seed)
    {
        feed = (feed ?? new FeedOptions()) with { Count = 10 };
        var popularity = visitors.SelectMany(v => v.Positives).GroupBy(id => id).ToDictionary(g => g.Key, g => (double)g.Count());
        var maxPopularity = popularity.Values.DefaultIfEmpty(1).Max();
        var allCandidates = works.Values.Select(w => new FeedCandidate(w, CandidateSource.Interest, Popularity: popularity.GetValueOrDefault(w.ArtworkId) / maxPopularity)).ToList();

        IReadOnlyList<int> Recommender(Visitor v)
        {
            var profile = TasteProfile.Build(v.Events, works, Now);
            return [.. FeedRanker.Rank(profile, allCandidates, feed).Select(f => f.ArtworkId)];
        }

        IReadOnlyList<int> Popularity(Visitor v) =>
            [.. works.Keys.Where(id => !v.Seen.Contains(id)).OrderByDescending(id => popularity.GetValueOrDefault(id)).ThenBy(id => id).Take(10)];

        var randomBaseline = new Random(seed + 1);
        IReadOnlyList<int> Random(Visitor v) =>
            [.. works.Keys.Where(id => !v.Seen.Contains(id)).OrderBy(_ => randomBaseline.Next()).Take(10)];

        IReadOnlyList<int> NearestNeighbours(Visitor v)
        {
            var liked = v.Positives.Select(id => works[id]).ToList();
            if (liked.Count == 0)
            {
                return Popularity(v);
            }

            var style = Mean(liked.Select(w => w.StyleVector));
            var content = Mean(liked.Select(w => w.ContentVector));
            return [.. works.Values.Where(w => !v.Seen.Contains(w.ArtworkId))
                .OrderByDescending(w => (feed.StyleWeight * StyleDescriptors.CosineSimilarity(style, w.StyleVector)) + ((1 - feed.StyleWeight) * StyleDescriptors.CosineSimilarity(content, w.ContentVector)))
                .ThenBy(w => w.ArtworkId).Take(10).Select(w => w.ArtworkId)];
        }

        var recommenders = new (string Name, Func<Visitor, IReadOnlyList<int>> Recommend)[]
        {
            (Mine, Recommender), (PopularityName, Popularity), (RandomName, Random), (NearestName, NearestNeighbours),
        };
        var lists = recommenders.ToDictionary(r => r.Name, r => visitors.Select(v => r.Recommend(v)).ToList());
        List<RecommenderScore> ScoreAll(Func<Visitor, bool> include) =>
            [.. recommenders.Select(r => Score(r.Name, visitors, lists[r.Name], include, works))];
        var segments = visitors.Select(v => v.Segment).Distinct(StringComparer.Ordinal).ToList();
        return new EvaluationResult(ScoreAll(_ => true),
            segments.Count < 2 ? [] : [.. segments.Select(s => new SegmentScores(s, ScoreAll(v => v.Segment == s)))]);
    }

    private static Visitor Simulate(int index, Dictionary<string, List<int>> byStyle, List<string> styles, SimulationOptions options, Random random)
    {
        var segment = (index % 10) switch { < 4 => "steady", < 7 => "moved on", _ => "noisy" };
        var order = styles.OrderBy(_ => random.Next()).ToList();
        var current = order.Take(segment == "moved on" ? 1 + random.Next(2) : 1 + random.Next(3)).ToList();
        var former = order[^1];
        // Unequal tastes: the first current style is liked most.
        var weights = current.Select((_, i) => 1.0 / (i + 1)).ToArray();
        var events = new List<Engagement>();
        var used = new HashSet<int>();
        int Draw(string style)
        {
            var pool = byStyle[style].Where(id => !used.Contains(id)).ToList();
            var id = pool[random.Next(pool.Count)];
            used.Add(id);
            return id;
        }

        void Like(int id, double daysAgo) => events.Add(new Engagement(id, EngagementKind.Like, Now.AddDays(-daysAgo)));
        var recent = options.History;
        if (segment == "moved on")
        {
            var old = (options.History + 1) / 2;
            recent = options.History - old + 1;
            for (var i = 0; i < old; i++)
            {
                Like(Draw(former), 60 + (30.0 * i / old));
            }

            events.Add(new Engagement(Draw(former), EngagementKind.Dismiss, Now.AddDays(-3)));
        }

        var strays = segment == "noisy" ? 2 : 0;
        for (var i = 0; i < recent; i++)
        {
            var daysAgo = (segment == "moved on" ? 14.0 : 30.0) * (recent - i) / recent;
            Like(i < strays ? Draw(order[current.Count + random.Next(order.Count - current.Count - 1)]) : Draw(current[Pick(weights, random)]), daysAgo);
        }

        var others = styles.Where(s => !current.Contains(s) && s != former).ToList();
        while (events.Count(e => e.Kind == EngagementKind.Dismiss) < options.Dismissals)
        {
            events.Add(new Engagement(Draw(others[random.Next(others.Count)]), EngagementKind.Dismiss, Now.AddDays(-1)));
        }

        var heldOut = Draw(current[Pick(weights, random)]);
        var liked = current.ToHashSet(StringComparer.Ordinal);
        var styleOf = byStyle.SelectMany(p => p.Value.Select(id => (id, p.Key))).ToDictionary(p => p.id, p => p.Key);
        return new Visitor(segment, events, id => styleOf.TryGetValue(id, out var style) && liked.Contains(style), heldOut);
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

    private static RecommenderScore Score(string name, List<Visitor> visitors, List<IReadOnlyList<int>> lists, Func<Visitor, bool> include, Dictionary<int, WorkVectors> works)
    {
        double ndcg = 0, hits = 0, diversity = 0;
        var shown = new HashSet<int>();
        var n = 0;
        for (var k = 0; k < visitors.Count; k++)
        {
            var v = visitors[k];
            if (!include(v))
            {
                continue;
            }

            n++;
            var list = lists[k];
            shown.UnionWith(list);
            var dcg = list.Select((id, r) => v.Relevant(id) ? 1 / Math.Log2(r + 2) : 0).Sum();
            var relevantCount = Math.Min(10, works.Keys.Count(id => !v.Seen.Contains(id) && v.Relevant(id)));
            var idealDcg = Enumerable.Range(0, relevantCount).Sum(r => 1 / Math.Log2(r + 2));
            ndcg += idealDcg == 0 ? 0 : dcg / idealDcg;
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

        n = Math.Max(1, n);
        return new RecommenderScore(name, ndcg / n, hits / n, diversity / n, (double)shown.Count / works.Count, n);
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
