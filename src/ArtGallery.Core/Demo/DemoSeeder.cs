using ArtGallery.Core.Ingestion;
using ArtGallery.Engines.Demo;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace ArtGallery.Core.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    public int Count { get; set; } = 600;

    public int Seed { get; set; } = 42;
}

public sealed record DemoSeedResult(int Imported, int Updated, int Skipped, int Failed, int Collections);

/// <summary>
/// Paints the demo collection and imports it like any other: idempotent (the paintings are
/// deterministic, so their hashes are too), one published collection per generated movement.
/// </summary>
public sealed class DemoSeeder(ArtworkIngestor ingestor, IDbContextFactory<GalleryDbContext> contextFactory, TimeProvider clock)
{
    private const int BatchSize = 24;

    public async Task<DemoSeedResult> SeedAsync(int count, int seed, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = DemoCatalogue.Plan(count, seed);
        int imported = 0, updated = 0, skipped = 0, failed = 0, done = 0;
        var ids = new Dictionary<int, int>();
        foreach (var chunk in plan.Chunk(BatchSize))
        {
            var items = new (byte[] Data, ArtworkMetadata Metadata)[chunk.Length];
            await Parallel.ForAsync(0, chunk.Length, cancellationToken, (i, _) =>
            {
                items[i] = (Paint(chunk[i]), Metadata(chunk[i], seed));
                return ValueTask.CompletedTask;
            });

            var results = await ingestor.IngestAsync(items, cancellationToken);
            for (var i = 0; i < results.Count; i++)
            {
                switch (results[i].Outcome)
                {
                    case IngestOutcome.Imported: imported++; break;
                    case IngestOutcome.Updated: updated++; break;
                    case IngestOutcome.Skipped: skipped++; break;
                    default: failed++; break;
                }

                if (results[i].ArtworkId is { } id)
                {
                    ids[chunk[i].Index] = id;
                }
            }

            done += chunk.Length;
            progress?.Report((done, plan.Count));
        }

        var collections = await EnsureCollectionsAsync(plan, ids, cancellationToken);
        return new DemoSeedResult(imported, updated, skipped, failed, collections);
    }

    public static byte[] Paint(DemoWork work)
    {
        using var image = DemoPainter.Paint(work);
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer, new JpegEncoder { Quality = 92 });
        return buffer.ToArray();
    }

    public static ArtworkMetadata Metadata(DemoWork work, int seed)
    {
        ArgumentNullException.ThrowIfNull(work);
        var movement = DemoCatalogue.MovementName(work.Movement);
        return new ArtworkMetadata(work.Title)
        {
            Artist = new ArtistInfo(work.Artist.Name, work.Artist.BirthYear, null, work.Artist.Nationality,
                $"Invented artist of the generated demo collection, working in the manner the demo calls {movement}.", IsGenerated: true),
            Year = work.Year,
            Medium = work.Medium,
            Dimensions = $"{work.Width} × {work.Height} px",
            Description = $"A generated {work.Subject.ToString().ToLowerInvariant()} in the demo's {movement} manner. {DemoCatalogue.GeneratedNotice}",
            Credit = "ArtGallery demo generator",
            Licence = "CC0 (generated)",
            Source = $"demo:{seed}/{work.Index}",
            IsGenerated = true,
            Tags = [(TagVocabulary.Style, movement), (TagVocabulary.Subject, SubjectName(work.Subject)), (TagVocabulary.Medium, work.Medium)],
        };
    }

    private static string SubjectName(DemoSubject subject) => subject switch
    {
        DemoSubject.StillLife => "Still life",
        _ => subject.ToString(),
    };

    private async Task<int> EnsureCollectionsAsync(IReadOnlyList<DemoWork> plan, Dictionary<int, int> ids, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var created = 0;
        var now = clock.GetUtcNow();
        foreach (var group in plan.GroupBy(w => w.Movement))
        {
            var name = DemoCatalogue.MovementName(group.Key);
            var slug = Slug.From(name);
            if (await db.Collections.AnyAsync(c => c.Slug == slug, cancellationToken))
            {
                continue;
            }

            var members = group.Where(w => ids.ContainsKey(w.Index)).Select(w => ids[w.Index]).ToList();
            db.Collections.Add(new Collection
            {
                Name = name,
                Slug = slug,
                Description = $"Every work the demo generator painted in its {name} manner. {DemoCatalogue.GeneratedNotice}",
                IsPublished = true,
                CoverArtworkId = members.FirstOrDefault() is var cover && cover != 0 ? cover : null,
                CreatedAt = now,
                UpdatedAt = now,
                Items = [.. members.Select((id, position) => new CollectionItem { ArtworkId = id, Position = position })],
            });
            created++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return created;
    }
}
