namespace ArtGallery.Core.Recommendations;

public sealed class RecommendationOptions
{
    public const string Section = "Recommendations";

    /// <summary>Nearest works by style per interest (and per steered-towards style).</summary>
    public int StyleNeighbours { get; set; } = 40;

    /// <summary>Nearest works by content per interest.</summary>
    public int ContentNeighbours { get; set; } = 20;

    /// <summary>The strongest interests that also get a content scan.</summary>
    public int ContentInterests { get; set; } = 1;

    /// <summary>
    /// An interest with less than this share of the profile's weight gets no scan of its own (a few stray likes);
    /// it still scores every candidate the other sources bring. The strongest interest is always scanned.
    /// </summary>
    public double MinScannedShare { get; set; } = 0.15;

    /// <summary>
    /// HNSW candidate list of the feed's scans: candidates are re-ranked anyway, so the last percent of recall
    /// the similar-works strips pay for (64) buys nothing here; at least the largest scan's k.
    /// </summary>
    public int EfSearch { get; set; } = 40;

    /// <summary>The newest events of a visitor the profile reads.</summary>
    public int MaxHistory { get; set; } = 2000;

    public int CoEngagementAnchors { get; set; } = 5;

    public int CoEngagementCandidates { get; set; } = 30;

    public int FollowedCandidates { get; set; } = 30;

    public int TrendingCandidates { get; set; } = 60;

    public int CollectionCandidates { get; set; } = 20;

    public TimeSpan TrendingWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Trending works are shared by every visitor and refreshed this often.</summary>
    public TimeSpan SharedRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The steering directions and each style's typical works average every embedding (seconds of database time at
    /// 100,000 works) and move only when works are embedded or tagged: refreshed this often.
    /// </summary>
    public TimeSpan DirectionsRefresh { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Visitors whose history is kept in memory between feeds.</summary>
    public int CachedVisitors { get; set; } = 10_000;

    /// <summary>
    /// Candidates whose vectors are kept in memory between feeds (<see cref="WorkVectorCache"/>; about 6 KB each,
    /// so 120 MB at the default); 0 reads them from the database every time.
    /// </summary>
    public int CachedWorkVectors { get; set; } = 20_000;
}
