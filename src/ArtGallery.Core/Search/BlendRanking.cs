namespace ArtGallery.Core.Search;

/// <summary>A candidate work with its exact cosine distances to the query's two vectors.</summary>
public readonly record struct Candidate(int ArtworkId, double StyleDistance, double ContentDistance);

/// <summary>A ranked candidate: blended score and both cosine similarities.</summary>
public readonly record struct RankedCandidate(int ArtworkId, double Score, double StyleScore, double ContentScore);

/// <summary>
/// Exact re-ranking of index candidates. No single index orders by a weighted sum of two distances,
/// so both indexes propose candidates and this decides: score = 1 − (w·d_style + (1 − w)·d_content),
/// which is the same weighted sum of the two cosine similarities.
/// </summary>
public static class BlendRanking
{
    public static IReadOnlyList<RankedCandidate> Rank(IEnumerable<Candidate> candidates, double styleWeight, double minSimilarity, int count)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (count <= 0)
        {
            return [];
        }

        var w = Math.Clamp(styleWeight, 0, 1);

        // A work proposed by both indexes is one candidate; the distances are exact, so either copy will do.
        return [.. candidates
            .DistinctBy(c => c.ArtworkId)
            .Select(c => new RankedCandidate(c.ArtworkId, 1 - ((w * c.StyleDistance) + ((1 - w) * c.ContentDistance)), 1 - c.StyleDistance, 1 - c.ContentDistance))
            .Where(c => c.Score >= minSimilarity)
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.ArtworkId) // ties (duplicates in the collection) in a stable, shareable order
            .Take(count)];
    }
}
