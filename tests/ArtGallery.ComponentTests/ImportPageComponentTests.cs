using ArtGallery.Core.Accounts;
using ArtGallery.Core.Import;
using ArtGallery.Testing;
using ArtGallery.Web.Features.Curation;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ArtGallery.ComponentTests;

/// <summary>The import page over real import jobs, with bUnit's fake authorisation standing in for sign-in.</summary>
public sealed class ImportPageComponentTests(EmptyDatabaseFixture fixture) : BunitContext, IClassFixture<EmptyDatabaseFixture>, IAsyncLifetime
{
    /// <summary>The page reads the job table: on the shared 2-core machine a render can take longer than bUnit's 1 s default.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are IAsyncDisposable only; xunit would otherwise dispose synchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private void UseImports()
    {
        Services.AddMudServices();
        Services.AddSingleton(fixture.Services.GetRequiredService<BulkImportService>());
        Services.AddSingleton(fixture.Services.GetRequiredService<ImportPlanner>());
        Services.AddSingleton(TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>Renders the page as the interactive circuit does (the file input stays disabled before that).</summary>
    private IRenderedComponent<ImportPage> RenderPage()
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return Render<ImportPage>();
    }

    [Fact]
    public void ImportPage_ForAVisitor_ExplainsItIsForCuratorsAndOffersNoUpload()
    {
        UseImports();
        AddAuthorization().SetAuthorized("visitor");

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=import-refused]")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=import-files]"));
    }

    [Fact]
    public async Task ImportPage_ForACurator_ShowsTheLatestJobAndItsPerRowReport()
    {
        var folder = Directory.CreateTempSubdirectory("ag-page-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "metadata.csv"), "file,title\nmissing.jpg,Nowhere\n");
            var report = await fixture.Services.GetRequiredService<BulkImportService>().ImportAsync(GalleryAccess.Operator, new ImportRequest(folder));
            UseImports();
            AddAuthorization().SetAuthorized("curator").SetRoles(GalleryRoles.Curator);

            var cut = RenderPage();

            cut.WaitForAssertion(() => Assert.Contains("no image file \"missing.jpg\"", cut.Find("[data-testid=import-report]").TextContent, StringComparison.Ordinal), Wait);
            Assert.Contains($"#{report.JobId}", cut.Find("[data-testid=import-job]").TextContent, StringComparison.Ordinal);
            Assert.Contains("failed 1", cut.Find("[data-testid=import-summary]").TextContent, StringComparison.Ordinal);
            Assert.Single(cut.FindAll("[data-testid=import-files]"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ImportPage_ChoosingAnOlderJob_ShowsThatJobsReport()
    {
        var imports = fixture.Services.GetRequiredService<BulkImportService>();
        var older = await ImportCsvAsync(imports, "older-missing.jpg");
        var newer = await ImportCsvAsync(imports, "newer-missing.jpg");
        UseImports();
        AddAuthorization().SetAuthorized("curator").SetRoles(GalleryRoles.Curator);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Contains($"Report for import #{newer}", cut.Markup, StringComparison.Ordinal), Wait);

        cut.FindAll("[data-testid=import-job]").Single(e => e.TextContent.Contains($"#{older} ", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Contains("older-missing.jpg", cut.Find("[data-testid=import-report]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains($"Report for import #{older}", cut.Markup, StringComparison.Ordinal);
    }

    private static async Task<long> ImportCsvAsync(BulkImportService imports, string missing)
    {
        var folder = Directory.CreateTempSubdirectory("ag-page-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "metadata.csv"), $"file,title\n{missing},Nowhere\n");
            return (await imports.ImportAsync(GalleryAccess.Operator, new ImportRequest(folder))).JobId;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ImportPage_UploadingAZip_QueuesAJobThatTheWorkerRunsAndThePageReports()
    {
        UseImports();
        AddAuthorization().SetAuthorized("curator").SetRoles(GalleryRoles.Curator);
        var cut = RenderPage();
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var csv = archive.CreateEntry("metadata.csv").Open())
            {
                await csv.WriteAsync("file,title\nmissing.png,Nowhere\n"u8.ToArray());
            }
        }

        cut.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromBinary(zip.ToArray(), "batch.zip"));

        cut.WaitForAssertion(() => Assert.Contains("Queued", cut.Find("[data-testid=import-job]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var worker = new ImportWorker(fixture.Services.GetRequiredService<BulkImportService>(),
            fixture.Services.GetRequiredService<ArtGallery.Core.Jobs.JobStore>(),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ImportWorker>.Instance);
        // Drain the queue: another test of this class may have left a job queued before ours.
        while (await worker.RunOnceAsync(CancellationToken.None))
        {
        }

        // The page's poll picks up the finished job and its report without a reload. One wait for both:
        // a poll that ran while the worker was still at it shows the report's rows under "Running".
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("no image file \"missing.png\"", cut.Find("[data-testid=import-report]").TextContent, StringComparison.Ordinal);
            Assert.Contains("Succeeded", cut.Find("[data-testid=import-job]").TextContent, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ImportPage_WithAQueuedJob_ShowsItsProgressAfterAReload()
    {
        var folder = Directory.CreateTempSubdirectory("ag-queued-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "metadata.csv"), "file,title\n");
            var jobId = await fixture.Services.GetRequiredService<BulkImportService>().EnqueueAsync(GalleryAccess.Operator, new ImportRequest(folder));
            UseImports();
            AddAuthorization().SetAuthorized("curator").SetRoles(GalleryRoles.Curator);

            // A fresh render is what a reload gives: everything shown comes from the job table.
            var cut = RenderPage();

            cut.WaitForAssertion(() => Assert.Contains($"#{jobId} · Queued", cut.Find("[data-testid=import-job]").TextContent, StringComparison.Ordinal), Wait);
            Assert.Single(cut.FindAll("[data-testid=import-progress]"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
