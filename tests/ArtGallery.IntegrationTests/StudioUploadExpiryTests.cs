using ArtGallery.Core.Storage;
using ArtGallery.Core.Studio;
using ArtGallery.Core.Studio.StyleTransfer;
using ArtGallery.Engines.Demo;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArtGallery.IntegrationTests;

/// <summary>Finding 7 of issue 16: studio uploads nobody uses expire; what a work, a creation or an unfinished render uses stays.</summary>
public sealed class StudioUploadExpiryTests(EmptyDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<EmptyDatabaseFixture>
{
    [Fact]
    public async Task Sweep_DeletesUnusedUploadsPastTheirLifetime_AndKeepsWorksCreationsAndQueuedRendersImages()
    {
        var store = fixture.Services.GetRequiredService<ImageStore>();
        var contexts = fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
        var images = DemoCatalogue.Plan(4, seed: 5151).Select(ArtGallery.Core.Demo.DemoSeeder.Paint).ToList();
        var (unused, forCreation, forRender, forWork) = (Sha(images[0]), Sha(images[1]), Sha(images[2]), Sha(images[3]));
        for (var i = 0; i < images.Count; i++)
        {
            await store.PutOriginalAsync(Sha(images[i]), images[i]);
        }

        var decoder = fixture.Services.GetRequiredService<ArtGallery.Engines.Imaging.ImageDecoder>();
        using (var image = decoder.Decode(images[0]))
        {
            await store.WriteDerivedAsync(unused, image);
        }

        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Creations.Add(new Creation { OwnerId = "v:someone", Kind = "style-transfer", Title = "kept", ImageSha256 = forCreation, CreatedAt = DateTimeOffset.UtcNow });
            db.Artworks.Add(new Artwork { Title = "A work", ImageSha256 = forWork, ImageFormat = "JPEG", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            var payload = new TransferJobPayload(forRender, [new StyleChoice(null, forRender, 1)], 256, 10, 1, 1, false, 1);
            db.Jobs.Add(new Job { Kind = StyleTransferJobs.Kind, State = JobState.Queued, Payload = System.Text.Json.JsonSerializer.Serialize(payload), RequestedBy = "v:someone", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var sweeper = new StudioUploadSweeper(contexts, store, Options.Create(new StudioOptions { UploadLifetimeHours = 24 }), time, NullLogger<StudioUploadSweeper>.Instance);

        time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.True(store.HasOriginal(unused), "an upload younger than its lifetime is kept");

        time.Advance(TimeSpan.FromHours(2));
        var deleted = await sweeper.SweepAsync();
        output.WriteLine($"upload sweep after 25 h: deleted={deleted}; unused upload kept={store.HasOriginal(unused)}, creation's={store.HasOriginal(forCreation)}, queued render's={store.HasOriginal(forRender)}, work's={store.HasOriginal(forWork)}");
        Assert.Equal(1, deleted);
        Assert.False(store.HasOriginal(unused));
        Assert.False(File.Exists(store.DerivedPath(unused, ArtGallery.Engines.Imaging.DerivedSize.Thumb)));
        Assert.True(store.HasOriginal(forCreation));
        Assert.True(store.HasOriginal(forRender));
        Assert.True(store.HasOriginal(forWork));
    }

    private static string Sha(byte[] data) => ImageStore.Sha256Hex(data);
}
