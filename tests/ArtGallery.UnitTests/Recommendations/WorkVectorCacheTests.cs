using ArtGallery.Core.Recommendations;
using Microsoft.Extensions.Options;

namespace ArtGallery.UnitTests.Recommendations;

public class WorkVectorCacheTests
{
    private static readonly DateTime Embedded = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    private static WorkVectorCache Cache(int capacity) => new(Options.Create(new RecommendationOptions { CachedWorkVectors = capacity }));

    private static WorkVectorCache.Entry Entry(DateTime at, float value) => new(at, [value, 0], [0, value]);

    [Fact]
    public void AnEntry_IsAHit_OnlyForTheEmbeddingItWasReadFrom()
    {
        var cache = Cache(10);
        cache.Set(7, Entry(Embedded, 1));

        Assert.True(cache.TryGet(7, Embedded, out var hit));
        Assert.Equal([1f, 0f], hit!.Style);
        Assert.False(cache.TryGet(7, Embedded.AddTicks(10), out var stale)); // re-embedded since: a miss
        Assert.Null(stale);
        Assert.False(cache.TryGet(8, Embedded, out _));

        cache.Set(7, Entry(Embedded.AddTicks(10), 2)); // the newer read replaces it
        Assert.True(cache.TryGet(7, Embedded.AddTicks(10), out var fresh));
        Assert.Equal([2f, 0f], fresh!.Style);
        Assert.False(cache.TryGet(7, Embedded, out _));
    }

    [Fact]
    public void TheCache_NeverHoldsMoreThanItsCapacity_AndKeepsMostOfIt()
    {
        var cache = Cache(100);
        for (var id = 0; id < 1_000; id++)
        {
            cache.Set(id, Entry(Embedded, id));
            Assert.InRange(cache.Count, 1, 100);
        }

        Assert.InRange(cache.Count, 90, 100);
        Assert.True(cache.TryGet(999, Embedded, out _)); // the newest entry survives the eviction it caused
    }

    [Fact]
    public void CapacityZero_CachesNothing()
    {
        var cache = Cache(0);
        cache.Set(1, Entry(Embedded, 1));
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet(1, Embedded, out _));
    }

    [Fact]
    public void ConcurrentWriters_StayWithinTheBound()
    {
        var cache = Cache(500);
        Parallel.For(0, 20_000, id => cache.Set(id, Entry(Embedded, id)));
        Assert.InRange(cache.Count, 1, 500);
    }
}
