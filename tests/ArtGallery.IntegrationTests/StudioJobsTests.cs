using ArtGallery.Core.Search;
using ArtGallery.Core.Studio;
using ArtGallery.Core.Studio.StyleTransfer;
using ArtGallery.Engines.Demo;
using Microsoft.Extensions.Configuration;

namespace ArtGallery.IntegrationTests;

/// <summary>Style-transfer jobs on the real job table, worker and engine, over the embedded demo collection.</summary>
public sealed class StudioJobsTests : IAsyncLifetime
{
    private string _database = string.Empty;
    private ServiceProvider? _services;

    private IServiceProvider Services => _services!;

    private StyleTransferJobs Jobs => Services.GetRequiredService<StyleTransferJobs>();

    public async Task InitializeAsync()
    {
        var template = await TestDatabase.DemoTemplateAsync();
        _database = await TestDatabase.CloneDemoAsync("ag_studio");
        _services = TestDatabase.Services(_database, template.ImagesDirectory, s => s.AddStudio(new ConfigurationBuilder().Build()));
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await TestDatabase.DropAsync(_database);
    }

    private async Task<TransferJobPayload> PayloadAsync(int size = 256, int steps = 4)
    {
        var photo = await Jobs.StoreUploadAsync(SyntheticPhoto.LandscapePng());
        await using var db = await Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        var work = await db.Artworks.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        return new TransferJobPayload(photo, [new StyleChoice(work, null, 1)], size, steps, 3, 1, KeepColours: false, Seed: 1);
    }

    [Fact]
    public async Task Worker_RunsAQueuedJob_IntoAnEmbeddedCreation_VisibleToItsOwnerOnly()
    {
        var payload = await PayloadAsync();
        var id = await Jobs.EnqueueAsync("visitor:00000000000000000000000000000001", payload);
        Assert.True(await Services.GetRequiredService<StyleTransferWorker>().RunOnceAsync(CancellationToken.None));

        var status = await Jobs.StatusAsync("visitor:00000000000000000000000000000001", id);
        Assert.NotNull(status);
        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(payload.Steps, status.Done);
        Assert.NotNull(status.Preview);
        var creations = Services.GetRequiredService<CreationService>();
        var creation = await creations.GetAsync("visitor:00000000000000000000000000000001", status.CreationId!.Value);
        Assert.NotNull(creation);
        Assert.Equal((256, 192), (creation.PixelWidth, creation.PixelHeight));
        Assert.Equal(payload.Styles[0].ArtworkId, creation.SourceArtworkId);

        var similar = await creations.SimilarWorksAsync("visitor:00000000000000000000000000000001", creation.Id, new SimilarQuery { Mode = SimilarMode.Style, Count = 5 });
        Assert.Equal(5, similar.Items.Count);
        Assert.Null(await creations.GetAsync("visitor:00000000000000000000000000000002", creation.Id));
        Assert.Null(await Jobs.StatusAsync("visitor:00000000000000000000000000000002", id));
        Assert.Empty((await creations.SimilarWorksAsync("visitor:00000000000000000000000000000002", creation.Id, new SimilarQuery())).Items);
    }

    [Fact]
    public async Task Enqueue_RefusesMoreThanTheLimitPerOwner_AndCancelledJobsFreeASlot()
    {
        var payload = await PayloadAsync();
        const string owner = "visitor:0000000000000000000000000000000a";
        var first = await Jobs.EnqueueAsync(owner, payload);
        await Jobs.EnqueueAsync(owner, payload);
        var refused = await Assert.ThrowsAsync<StudioRequestException>(() => Jobs.EnqueueAsync(owner, payload));
        Assert.Contains("in progress", refused.Message, StringComparison.Ordinal);

        // Another visitor is not held up by this one's queue.
        await Jobs.EnqueueAsync("visitor:0000000000000000000000000000000b", payload);

        Assert.True(await Jobs.CancelAsync(owner, first));
        Assert.Equal(JobState.Cancelled, (await Jobs.StatusAsync(owner, first))!.State);
        Assert.False(await Jobs.CancelAsync("visitor:0000000000000000000000000000000b", first));
        await Jobs.EnqueueAsync(owner, payload);
    }

    [Theory]
    [InlineData(4096, 10, "Size")]
    [InlineData(256, 0, "Steps")]
    public async Task Enqueue_RefusesAbsurdSettings_WithAClearMessage(int size, int steps, string expected)
    {
        var payload = await PayloadAsync(size, steps);
        var refused = await Assert.ThrowsAsync<StudioRequestException>(() => Jobs.EnqueueAsync("visitor:0000000000000000000000000000000c", payload));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreUpload_RefusesSomethingThatIsNotAnImage()
    {
        var refused = await Assert.ThrowsAsync<StudioRequestException>(() => Jobs.StoreUploadAsync("not a photo"u8.ToArray()));
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
    }
}
