using System.Numerics.Tensors;
using ArtGallery.Engines.Encoding;

namespace ArtGallery.Core.Recommendations;

/// <summary>Where a candidate came from; part of its explanation.</summary>
public enum CandidateSource
{
    /// <summary>Nearest neighbours of one of the visitor's interests.</summary>
    Interest,

    /// <summary>People who liked a work the visitor liked also liked this.</summary>
    CoEngagement,

    /// <summary>By an artist the visitor follows.</summary>
    FollowedArtist,

    /// <summary>Popular lately: the cold-start source.</summary>
    Trending,

    /// <summary>From a published collection.</summary>
    Collection,

    /// <summary>Close to the centre of a style: a first page across the collection, or a style the visitor asked for more of.</summary>
    Explore,
}

/// <summary>A work proposed for the feed, with what proposed it (<paramref name="Via"/>: the liked work or collection, if any).</summary>
public sealed record FeedCandidate(WorkVectors Work, CandidateSource Source, int? Via = null, double Popularity = 0);

/// <summary>Which feature made a work close to what the visitor liked.</summary>
public enum MatchFeature
{
    /// <summary>The style embedding (palette, brushwork, texture).</summary>
    Style,

    /// <summary>The content embedding (what the work shows).</summary>
    Content,
}

/// <summary>
/// Why a card is in the feed, built from what actually produced its score. <paramref name="ForVariety"/>:
/// less relevant than the average candidate, picked because it differs from the cards above it.
/// </summary>
public sealed record FeedReason(CandidateSource Source, int? BecauseOf, MatchFeature? Feature, string? FavouriteStyle, double Similarity, bool ForVariety = false);

public sealed record FeedItem(int ArtworkId, double Score, FeedReason Reason);

/// <summary>The visitor's steering of the feed.</summary>
public sealed record FeedSteering
{
    /// <summary>Per style tag, −1 (less) … +1 (more): added to the query as that style's centre.</summary>
    public IReadOnlyDictionary<string, double> Styles { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>−1 (cooler) … +1 (warmer): the query moves along the warm-minus-cool direction.</summary>
    public double Warmth { get; init; }

    /// <summary>0 … 1: trades relevance for novelty and variety ("surprise me").</summary>
    public double Surprise { get; init; }
}

/// <summary>Directions in style space the steering controls move along, computed from the collection.</summary>
public sealed record SteeringDirections(IReadOnlyDictionary<string, float[]> StyleCentres, float[]? WarmMinusCool);

public sealed record FeedOptions
{
    public int Count { get; init; } = 24;

    /// <summary>Weight of the style embedding in an interest's similarity (the rest is content).</summary>
    public double StyleWeight { get; init; } = 0.6;

    /// <summary>No artist takes more than this share of the feed (and never two neighbouring cards).</summary>
    public double MaxArtistShare { get; init; } = 0.3;

    /// <summary>
    /// No style takes more than this share of any opening stretch of the feed (of four cards or more), so even a
    /// visitor who liked one style only sees others early; "surprise me" lowers it towards 0.4.
    /// </summary>
    public double MaxStyleShare { get; init; } = 0.75;

    /// <summary>
    /// Styles the visitor shows no affinity for (under 10 % of their positive signals, and not steered towards)
    /// each take at most this share of any opening stretch, so variety comes from several styles, not the nearest one.
    /// </summary>
    public double MaxUnlikedStyleShare { get; init; } = 0.125;

    /// <summary>
    /// How much a weaker interest's works lose against the strongest's: relevance adds this times
    /// ln(interest weight / strongest weight), so old or stray likes get fewer cards without vanishing.
    /// </summary>
    public double InterestWeightScale { get; init; } = 0.05;

    /// <summary>Candidates re-ranked by MMR: the most relevant four fifths of this, plus the best three of every style.</summary>
    public int Shortlist { get; init; } = 150;

    /// <summary>
    /// A liked style's share of any opening stretch is this plus <see cref="LikedStyleSharePerWork"/> per distinct
    /// work of it the visitor liked or saved, up to <see cref="MaxStyleShare"/>: one like gives 40 % (4 of the top 10),
    /// three give 70 %.
    /// </summary>
    public double LikedStyleShareBase { get; init; } = 0.25;

    public double LikedStyleSharePerWork { get; init; } = 0.15;

    /// <summary>
    /// Relevance added per unit of "more of this style" (taken away for "less"). Relevance is compared in standard
    /// deviations of the candidates' relevance, which is a few hundredths of cosine: at full strength 0.15 puts
    /// the style's works ahead of everything else, up to the style cap.
    /// </summary>
    public double SteeringWeight { get; init; } = 0.15;

    /// <summary>Both cosines above this: a near-duplicate, never next to the other.</summary>
    public double NearDuplicate { get; init; } = 0.97;
}

/// <summary>
/// Scores candidates against the visitor's interests (steered, pushed away from dismissed works), then
/// picks the feed by maximal marginal relevance under per-artist and per-style caps, so the feed is
/// relevant and varied, and no two neighbouring cards share an artist or are near-duplicates.
/// </summary>
public static class FeedRanker
{
    public static IReadOnlyList<FeedItem> Rank(TasteProfile profile, IReadOnlyList<FeedCandidate> candidates, FeedOptions? options = null,
        FeedSteering? steering = null, SteeringDirections? directions = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(candidates);
        options ??= new FeedOptions();
        steering ??= new FeedSteering();
        var queries = profile.Interests.Select(i => (Interest: i, Style: Steer(i.Style, steering, directions))).ToList();
        var pool = candidates
            .Where(c => !profile.Seen.Contains(c.Work.ArtworkId))
            .GroupBy(c => c.Work.ArtworkId)
            .Select(g => g.OrderBy(c => Precedence(c.Source)).First()) // one card per work, named after its strongest evidence
            .Select(c => Score(c, queries, profile, options, steering))
            .ToList();
        if (pool.Count == 0)
        {
            return [];
        }

        // MMR compares every remaining candidate with each pick: re-rank a shortlist, the most relevant
        // candidates plus the best few of every style (the material variety is made of).
        if (pool.Count > options.Shortlist)
        {
            var top = pool.OrderByDescending(p => p.Relevance).ThenBy(p => p.Candidate.Work.ArtworkId).Take(options.Shortlist * 4 / 5).ToHashSet();
            foreach (var group in pool.Where(p => !top.Contains(p)).GroupBy(p => p.Candidate.Work.Style ?? string.Empty))
            {
                top.UnionWith(group.OrderByDescending(p => p.Relevance).Take(3));
            }

            pool = [.. pool.Where(top.Contains)];
        }

        // Which embedding made the match: the one where the work stands out more from the other candidates
        // (style cosines run higher than content cosines throughout, so raw values would always say style).
        var (styleMean, styleStd) = MeanStd(pool.Select(p => p.StyleSimilarity));
        var (contentMean, contentStd) = MeanStd(pool.Select(p => p.ContentSimilarity));
        pool = [.. pool.Select(p => p.Reason.BecauseOf is null || queries.Count == 0 ? p : p with
        {
            Reason = p.Reason with
            {
                Feature = Z(p.StyleSimilarity, styleMean, styleStd) >= Z(p.ContentSimilarity, contentMean, contentStd) ? MatchFeature.Style : MatchFeature.Content,
            },
        })];

        // Cosines of these embeddings sit in a narrow band; z-scores put relevance and redundancy on one scale.
        var (mean, std) = MeanStd(pool.Select(p => p.Relevance));
        var (pairMean, pairStd) = PairwiseStats(pool);
        var lambda = 0.85 - (0.45 * Math.Clamp(steering.Surprise, 0, 1));
        var picked = new List<Scored>();
        var perArtist = new Dictionary<int, int>();
        var perStyle = new Dictionary<string, int>(StringComparer.Ordinal);
        var styleShare = Math.Clamp(options.MaxStyleShare - (0.35 * Math.Clamp(steering.Surprise, 0, 1)), 0.1, 1);
        // A liked style's share grows with the works behind it (one like is a hint, not a taste); a style the
        // visitor steers towards gets the full share at once.
        var liked = profile.StyleAffinity.Where(a => a.Value >= 0.1)
            .ToDictionary(a => a.Key, a => Math.Min(styleShare, options.LikedStyleShareBase + (options.LikedStyleSharePerWork * profile.StyleEvidence.GetValueOrDefault(a.Key))), StringComparer.Ordinal);
        foreach (var tag in steering.Styles.Where(s => s.Value > 0).Select(s => s.Key))
        {
            liked[tag] = styleShare;
        }

        var artistCap = Math.Max(1, (int)Math.Ceiling(options.MaxArtistShare * options.Count));
        // Each candidate's highest similarity to a card already picked, and whether it nearly duplicates the
        // last pick: both from one pass of two dot products per remaining candidate per pick (the catalogue's
        // vectors are unit length, so a dot product is their cosine).
        var redundancy = new double[pool.Count];
        var duplicatesLast = new bool[pool.Count];
        var taken = new bool[pool.Count];
        int? last = null;
        while (picked.Count < options.Count)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < pool.Count; i++)
            {
                var c = pool[i];
                if (taken[i] || duplicatesLast[i] || !Allowed(c, last is { } l ? pool[l] : null, picked.Count, perArtist, perStyle, artistCap, styleShare, liked, options))
                {
                    continue;
                }

                var closest = picked.Count == 0 ? 0 : redundancy[i];
                var value = (lambda * Z(c.Relevance, mean, std)) - ((1 - lambda) * Z(closest, pairMean, pairStd));
                if (value > bestValue || (value == bestValue && c.Candidate.Work.ArtworkId < pool[best].Candidate.Work.ArtworkId))
                {
                    (best, bestValue) = (i, value);
                }
            }

            if (best < 0)
            {
                break; // the caps exclude everything left: a shorter feed beats a repetitive one
            }

            var chosen = pool[best];
            picked.Add(chosen);
            taken[best] = true;
            last = best;
            for (var i = 0; i < pool.Count; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                var style = TensorPrimitives.Dot(chosen.Candidate.Work.StyleVector, pool[i].Candidate.Work.StyleVector);
                var content = TensorPrimitives.Dot(chosen.Candidate.Work.ContentVector, pool[i].Candidate.Work.ContentVector);
                var similarity = (0.5 * style) + (0.5 * content);
                redundancy[i] = picked.Count == 1 ? similarity : Math.Max(redundancy[i], similarity);
                duplicatesLast[i] = style > options.NearDuplicate && content > options.NearDuplicate;
            }

            if (chosen.Candidate.Work.ArtistId is { } artist)
            {
                perArtist[artist] = perArtist.GetValueOrDefault(artist) + 1;
            }

            if (chosen.Candidate.Work.Style is { } tag)
            {
                perStyle[tag] = perStyle.GetValueOrDefault(tag) + 1;
            }
        }

        return [.. picked.Select(p => new FeedItem(p.Candidate.Work.ArtworkId, p.Relevance,
            queries.Count > 0 && Z(p.Relevance, mean, std) < 0 ? p.Reason with { ForVariety = true } : p.Reason))];
    }

    private sealed record Scored(FeedCandidate Candidate, double Relevance, FeedReason Reason, double StyleSimilarity = 0, double ContentSimilarity = 0);

    private static Scored Score(FeedCandidate c, List<(Interest Interest, float[] Style)> queries, TasteProfile profile, FeedOptions options, FeedSteering steering)
    {
        var work = c.Work;
        var novelty = 0.02 * (1 - Math.Clamp(c.Popularity, 0, 1)) * steering.Surprise;
        if (queries.Count == 0)
        {
            // Cold start: popularity, with the same reason for every card.
            return new Scored(c, c.Popularity + novelty, new FeedReason(c.Source, c.Via, null, null, 0));
        }

        var strongest = queries.Max(q => q.Interest.Weight);
        var best = (Value: double.NegativeInfinity, Interest: queries[0].Interest, Style: 0.0, Content: 0.0);
        foreach (var (interest, style) in queries)
        {
            var s = StyleDescriptors.CosineSimilarity(style, work.StyleVector);
            var k = StyleDescriptors.CosineSimilarity(interest.Content, work.ContentVector);
            // A weaker interest (older likes, a stray like) yields fewer cards than the strongest one.
            var value = (options.StyleWeight * s) + ((1 - options.StyleWeight) * k) + (options.InterestWeightScale * Math.Log(interest.Weight / strongest));
            if (value > best.Value)
            {
                best = (value, interest, s, k);
            }
        }

        var push = profile.Dismissed.Count == 0 ? 0 : profile.Dismissed.Max(d => TensorPrimitives.Dot(d.StyleVector, work.StyleVector));
        // Evidence beyond the vectors: the visitor follows the artist, or people with the same like liked it too.
        var evidence = c.Source switch { CandidateSource.FollowedArtist => 0.05, CandidateSource.CoEngagement => 0.03, _ => 0 };
        var relevance = best.Value - (0.5 * Math.Max(0, push - best.Style)) + novelty + evidence;
        if (work.Style is { } tag && steering.Styles.TryGetValue(tag, out var more))
        {
            relevance += options.SteeringWeight * Math.Clamp(more, -1, 1);
        }

        var anchor = c.Source == CandidateSource.Interest ? best.Interest.Anchors[0] : c.Via;
        var favourite = work.Style is { } s2 && profile.StyleAffinity.TryGetValue(s2, out var share) && share >= 0.3
            && profile.StyleEvidence.GetValueOrDefault(s2) >= TasteProfile.FavouriteStyleEvidence ? s2 : null;
        return new Scored(c, relevance, new FeedReason(c.Source, anchor, null, favourite, best.Value), best.Style, best.Content);
    }

    /// <summary>The style query moved by the visitor's steering: plus or minus style centres, along warm-minus-cool.</summary>
    public static float[] Steer(float[] style, FeedSteering steering, SteeringDirections? directions)
    {
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(steering);
        if (directions is null)
        {
            return style;
        }

        var query = (float[])style.Clone();
        foreach (var (tag, amount) in steering.Styles)
        {
            if (directions.StyleCentres.TryGetValue(tag, out var centre))
            {
                TensorPrimitives.MultiplyAdd(centre, (float)Math.Clamp(amount, -1, 1), query, query);
            }
        }

        if (directions.WarmMinusCool is { } warm && steering.Warmth != 0)
        {
            TensorPrimitives.MultiplyAdd(warm, (float)Math.Clamp(steering.Warmth, -1, 1), query, query);
        }

        return query;
    }

    private static bool Allowed(Scored c, Scored? previous, int position, Dictionary<int, int> perArtist, Dictionary<string, int> perStyle, int artistCap, double styleShare,
        Dictionary<string, double> likedStyles, FeedOptions options)
    {
        var work = c.Candidate.Work;
        if (work.ArtistId is { } artist && perArtist.GetValueOrDefault(artist) >= artistCap)
        {
            return false;
        }

        // The cap for the stretch this card would close: positions 1 … position + 1, at least four long.
        var stretch = Math.Max(4, position + 1);
        var styleCap = work.Style is { } s && (likedStyles.Count == 0 || likedStyles.ContainsKey(s))
            ? (int)Math.Ceiling((likedStyles.Count == 0 ? styleShare : likedStyles[s]) * stretch)
            : Math.Max(1, (int)Math.Ceiling(options.MaxUnlikedStyleShare * stretch));
        if (work.Style is { } style && perStyle.GetValueOrDefault(style) >= styleCap)
        {
            return false;
        }

        // Never the same artist in neighbouring cards (near-duplicates of the last card are excluded by the caller).
        return previous is null || work.ArtistId is null || work.ArtistId != previous.Candidate.Work.ArtistId;
    }

    /// <summary>Which source names a work that several proposed: direct evidence first, then similarity, then popularity.</summary>
    private static int Precedence(CandidateSource source) => source switch
    {
        CandidateSource.FollowedArtist => 0,
        CandidateSource.CoEngagement => 1,
        CandidateSource.Interest => 2,
        CandidateSource.Collection => 3,
        CandidateSource.Explore => 4,
        _ => 5,
    };

    private static double Similarity(WorkVectors a, WorkVectors b) =>
        (0.5 * TensorPrimitives.Dot(a.StyleVector, b.StyleVector)) + (0.5 * TensorPrimitives.Dot(a.ContentVector, b.ContentVector));

    private static (double Mean, double Std) PairwiseStats(List<Scored> pool)
    {
        // A fixed-stride sample of pairs: enough for a scale, cheap for a few hundred candidates.
        var values = new List<double>();
        for (var i = 0; i < pool.Count && values.Count < 2000; i++)
        {
            for (var j = i + 1; j < pool.Count && values.Count < 2000; j += 7)
            {
                values.Add(Similarity(pool[i].Candidate.Work, pool[j].Candidate.Work));
            }
        }

        return values.Count == 0 ? (0, 1) : MeanStd(values);
    }

    private static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        var std = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count);
        return (mean, std > 1e-9 ? std : 1);
    }

    private static double Z(double value, double mean, double std) => (value - mean) / std;
}
