using System.Numerics.Tensors;

namespace ArtGallery.Core.Recommendations;

/// <summary>One recorded signal. <paramref name="Dwell"/> only matters for views.</summary>
public sealed record Engagement(int ArtworkId, EngagementKind Kind, DateTimeOffset At, TimeSpan? Dwell = null);

/// <summary>A work as the recommender sees it: its two embeddings (unit length: the ranker compares works by dot product), artist and style tag.</summary>
public sealed record WorkVectors(int ArtworkId, int? ArtistId, string? Style, float[] StyleVector, float[] ContentVector);

/// <summary>
/// One interest: the recency-weighted centre of a group of works the visitor engaged with positively,
/// in both embedding spaces, and the works that formed it (strongest first) for explanations.
/// </summary>
public sealed record Interest(float[] Style, float[] Content, double Weight, IReadOnlyList<int> Anchors);

/// <summary>Weights and limits of <see cref="TasteProfile.Build"/>.</summary>
public sealed record TasteOptions
{
    public double LikeWeight { get; init; } = 1.0;

    public double SaveWeight { get; init; } = 1.5;

    public double StudioStyleWeight { get; init; } = 0.8;

    /// <summary>A view counts only after this much dwell; then it adds up to <see cref="MaxViewWeight"/>.</summary>
    public TimeSpan MinDwell { get; init; } = TimeSpan.FromSeconds(8);

    public double MaxViewWeight { get; init; } = 0.4;

    /// <summary>A signal loses half its weight every this long.</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromDays(21);

    public int MaxInterests { get; init; } = 4;

    /// <summary>A work joins an interest when its style cosine to the interest's centre is at least this.</summary>
    public double JoinSimilarity { get; init; } = 0.8;
}

/// <summary>
/// A visitor's taste: several interests (so liking Ukiyo-e and Pop Art does not average into neither),
/// the works they dismissed (pushed away), and what they have already seen.
/// </summary>
/// <param name="Seen">Works the visitor viewed, liked, saved or dismissed: never recommended again.</param>
/// <param name="StyleAffinity">Share of the positive weight per style tag (for "Impressionism, which you save often").</param>
/// <param name="StyleEvidence">
/// How many distinct works of each style the visitor liked, saved or painted with: one like is not a
/// favourite style, and the feed's share of a liked style grows with this (see <see cref="FeedRanker"/>).
/// </param>
public sealed record TasteProfile(IReadOnlyList<Interest> Interests, IReadOnlyList<WorkVectors> Dismissed, IReadOnlySet<int> Seen,
    IReadOnlyDictionary<string, double> StyleAffinity, IReadOnlyDictionary<string, int> StyleEvidence)
{
    /// <summary>Distinct works of a style behind a "which you like and save often" explanation.</summary>
    public const int FavouriteStyleEvidence = 3;

    public bool IsEmpty => Interests.Count == 0;

    public static TasteProfile Build(IEnumerable<Engagement> events, IReadOnlyDictionary<int, WorkVectors> works, DateTimeOffset now, TasteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(works);
        options ??= new TasteOptions();
        var positive = new Dictionary<int, double>();
        var dismissed = new HashSet<int>();
        var seen = new HashSet<int>();
        foreach (var e in events.OrderBy(e => e.At))
        {
            seen.Add(e.ArtworkId);
            var decay = Math.Pow(0.5, Math.Max(0, (now - e.At).TotalSeconds) / options.HalfLife.TotalSeconds);
            var weight = e.Kind switch
            {
                EngagementKind.Like => options.LikeWeight,
                EngagementKind.Save => options.SaveWeight,
                EngagementKind.StudioStyle => options.StudioStyleWeight,
                EngagementKind.View when e.Dwell >= options.MinDwell =>
                    Math.Min(options.MaxViewWeight, options.MaxViewWeight * e.Dwell.Value.TotalSeconds / (4 * options.MinDwell.TotalSeconds)),
                _ => 0,
            };
            if (e.Kind == EngagementKind.Unlike)
            {
                // Taking a like back takes its weight back (a save or long view of the work still counts).
                positive[e.ArtworkId] = Math.Max(0, positive.GetValueOrDefault(e.ArtworkId) - (options.LikeWeight * decay));
                if (positive[e.ArtworkId] <= 1e-9)
                {
                    positive.Remove(e.ArtworkId);
                }
            }
            else if (e.Kind == EngagementKind.Undismiss)
            {
                // Restored: it no longer pushes the feed away (it stays seen, so it is not recommended again).
                dismissed.Remove(e.ArtworkId);
            }
            else if (e.Kind == EngagementKind.Dismiss)
            {
                // A later "not interested" overrides an earlier like of the same work.
                dismissed.Add(e.ArtworkId);
                positive.Remove(e.ArtworkId);
            }
            else if (weight > 0 && works.ContainsKey(e.ArtworkId))
            {
                dismissed.Remove(e.ArtworkId);
                positive[e.ArtworkId] = positive.GetValueOrDefault(e.ArtworkId) + (weight * decay);
            }
        }

        var interests = Cluster([.. positive.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => (works[p.Key], p.Value))], options);
        var total = positive.Values.Sum();
        var affinity = positive.Where(p => works[p.Key].Style is not null)
            .GroupBy(p => works[p.Key].Style!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value) / total, StringComparer.Ordinal);
        var evidence = positive.Keys.Where(id => works[id].Style is not null)
            .GroupBy(id => works[id].Style!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new TasteProfile(interests, [.. dismissed.Where(works.ContainsKey).Select(id => works[id])], seen, affinity, evidence);
    }

    /// <summary>
    /// Leader clustering in weight order: a work joins the closest interest if it is close enough,
    /// otherwise starts one (up to the limit, then joins the closest anyway). Deterministic, and every
    /// interest can name the works it came from.
    /// </summary>
    private static List<Interest> Cluster(List<(WorkVectors Work, double Weight)> items, TasteOptions options)
    {
        var groups = new List<(float[] Style, float[] Content, double Weight, List<int> Anchors)>();
        foreach (var (work, weight) in items)
        {
            var best = -1;
            var bestSimilarity = double.NegativeInfinity;
            for (var g = 0; g < groups.Count; g++)
            {
                var similarity = TensorPrimitives.CosineSimilarity(groups[g].Style, work.StyleVector);
                if (similarity > bestSimilarity)
                {
                    (best, bestSimilarity) = (g, similarity);
                }
            }

            if (best < 0 || (bestSimilarity < options.JoinSimilarity && groups.Count < options.MaxInterests))
            {
                groups.Add(((float[])work.StyleVector.Clone(), (float[])work.ContentVector.Clone(), weight, [work.ArtworkId]));
                continue;
            }

            var group = groups[best];
            // Running weighted mean of the members' vectors.
            var share = (float)(weight / (group.Weight + weight));
            TensorPrimitives.Lerp(group.Style, work.StyleVector, share, group.Style);
            TensorPrimitives.Lerp(group.Content, work.ContentVector, share, group.Content);
            group.Anchors.Add(work.ArtworkId);
            groups[best] = (group.Style, group.Content, group.Weight + weight, group.Anchors);
        }

        return [.. groups.OrderByDescending(g => g.Weight).Select(g => new Interest(g.Style, g.Content, g.Weight, g.Anchors))];
    }
}
