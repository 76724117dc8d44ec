using System.Security.Claims;
using System.Text;
using ArtGallery.Core.Market;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace ArtGallery.Evaluation;

/// <summary>
/// A GENERATED sales history for the generated demo collection, from the market simulator's assumptions:
/// the simulator's index, a price level per demo artist and per style, and a visual effect along one
/// direction of the works' real stored style embeddings where they exist. Recorded as generated sales
/// (flagged in the UI), through the same import as a curator's CSV, so it is idempotent and audited.
/// </summary>
public static class MarketDemoHistory
{
    public const string Venue = "Simulated Auction House";

    /// <summary>Seeds with the database and market services of <paramref name="services"/> (a host's: hosts never handle the DbContext themselves).</summary>
    public static Task<SaleImportReport> SeedAsync(IServiceProvider services, ClaimsPrincipal caller, int seed, CancellationToken cancellationToken) =>
        SeedAsync(services.GetRequiredService<IDbContextFactory<GalleryDbContext>>(), services.GetRequiredService<MarketEditService>(), caller, seed, cancellationToken);

    public static async Task<SaleImportReport> SeedAsync(IDbContextFactory<GalleryDbContext> contextFactory, MarketEditService edits, ClaimsPrincipal caller, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contextFactory);
        ArgumentNullException.ThrowIfNull(edits);
        List<(int Id, int? ArtistId, int? Year, string? Style, float[]? Embedding)> works;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            works = [.. (await db.Artworks.AsNoTracking().Where(a => a.IsGenerated).OrderBy(a => a.Id)
                .Select(a => new
                {
                    a.Id,
                    a.ArtistId,
                    a.Year,
                    Style = a.Tags.Where(t => t.Status == TagStatus.Accepted && t.Tag!.Vocabulary == TagVocabulary.Style).Select(t => t.Tag!.Name).FirstOrDefault(),
                    Embedding = a.Embedding == null ? null : a.Embedding.Style,
                })
                .ToListAsync(cancellationToken)).Select(a => (a.Id, a.ArtistId, a.Year, a.Style, a.Embedding?.ToArray()))];
        }

        var options = new MarketSimulatorOptions(seed);
        var index = MarketSimulator.Run(options).TrueLogIndex;
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var artistLevel = works.Select(w => w.ArtistId ?? 0).Distinct().Order().ToDictionary(a => a, _ => 0.8 * Normal());
        var styleLevel = works.Select(w => w.Style ?? "").Distinct().Order(StringComparer.Ordinal).ToDictionary(s => s, _ => 0.3 * Normal(), StringComparer.Ordinal);
        var visual = VisualScores(works.Select(w => w.Embedding).ToList(), random);

        var csv = new StringBuilder("work_id,date,venue,venue_type,lot,price,currency,estimate_low,estimate_high,bought_in,premium_included\n");
        for (var i = 0; i < works.Count; i++)
        {
            var work = works[i];
            var value = 8 + artistLevel[work.ArtistId ?? 0] + styleLevel[work.Style ?? ""] + (options.VisualStrength * visual[i]) + (0.35 * Normal());
            var first = Math.Max(options.FirstYear, (work.Year ?? options.FirstYear) + 1);
            if (first > options.LastYear)
            {
                continue;
            }

            foreach (var (year, price, low, high) in MarketSimulator.Appearances(random, first, options, value, index))
            {
                var date = new DateOnly(year, 1 + (work.Id % 12), 1 + (work.Id % 28));
                csv.Append(CultureInfo.InvariantCulture, $"{work.Id},{date:yyyy-MM-dd},{Venue},auction,{work.Id}-{year},{price:0.},{MarketCurrency.Base},{low:0.},{high:0.},{(price is null ? "yes" : "no")},yes\n");
            }
        }

        return await edits.ImportAsync(caller, csv.ToString(), null, generated: true, cancellationToken);
    }

    /// <summary>Standardised projections of the embeddings on one random direction (0 for works without one).</summary>
    private static double[] VisualScores(List<float[]?> embeddings, Random random)
    {
        var present = embeddings.OfType<float[]>().ToList();
        if (present.Count < 2)
        {
            return new double[embeddings.Count];
        }

        var direction = MarketSimulator.Unit([.. Enumerable.Range(0, present[0].Length).Select(_ => random.NextDouble() - 0.5)]);
        var raw = embeddings.Select(e => e is null ? double.NaN : e.Select((v, d) => v * direction[d]).Sum()).ToArray();
        var known = raw.Where(double.IsFinite).ToList();
        var (mean, sd) = (known.Average(), Math.Sqrt(known.Average(v => Math.Pow(v - known.Average(), 2))));
        return [.. raw.Select(v => double.IsFinite(v) && sd > 0 ? (v - mean) / sd : 0)];
    }
}
