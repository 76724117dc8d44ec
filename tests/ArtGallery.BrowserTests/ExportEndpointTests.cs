using System.Net;
using System.Text.Json.Nodes;
using ArtGallery.Data;
using ArtGallery.Data.Entities;
using ArtGallery.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtGallery.BrowserTests;

/// <summary>The export endpoints of the running app, over HTTP as a IIIF viewer or a spreadsheet user would fetch them.</summary>
[Collection(SharedGalleryServer.Name)]
public sealed class ExportEndpointTests(GalleryServer server)
{
    private async Task<(int Published, int Unpublished, int Works)> CollectionsAsync()
    {
        var template = await TestDatabase.DemoTemplateAsync();
        await using var services = TestDatabase.Services(server.Database, template.ImagesDirectory);
        await using var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        var published = await db.Collections.Where(c => c.IsPublished && c.OwnerId == null).OrderBy(c => c.Id)
            .Select(c => new { c.Id, Works = c.Items.Count }).FirstAsync();
        var hidden = await db.Collections.FirstOrDefaultAsync(c => c.Slug == "export-endpoint-draft");
        if (hidden is null)
        {
            hidden = new Collection { Name = "Draft", Slug = "export-endpoint-draft", IsPublished = false };
            db.Collections.Add(hidden);
            await db.SaveChangesAsync();
        }

        return (published.Id, hidden.Id, published.Works);
    }

    [Fact]
    public async Task Manifest_OfAPublishedCollection_IsIiifPresentation3WithOneCanvasPerWork()
    {
        var (published, _, works) = await CollectionsAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync(new Uri($"/collections/{published}/manifest.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType!.MediaType);
        var manifest = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Manifest", manifest["type"]!.GetValue<string>());
        Assert.Equal("http://iiif.io/api/presentation/3/context.json", manifest["@context"]!.AsArray()[^1]!.GetValue<string>());
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/'), manifest["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(works, manifest["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task CsvExport_OfAPublishedCollection_HasTheImportHeaderAndARowPerWork()
    {
        var (published, _, works) = await CollectionsAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var csv = await client.GetStringAsync(new Uri($"/collections/{published}/export.csv", UriKind.Relative));

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file,title,artist,year,medium,dimensions,description,tags,credit,licence", lines[0]);
        Assert.Equal(works + 1, lines.Length);
    }

    [Fact]
    public async Task Export_OfAnUnpublishedCollection_IsRefusedToAnonymousVisitors()
    {
        var (_, unpublished, _) = await CollectionsAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var manifest = await client.GetAsync(new Uri($"/collections/{unpublished}/manifest.json", UriKind.Relative));
        using var csv = await client.GetAsync(new Uri($"/collections/{unpublished}/export.csv", UriKind.Relative));
        using var missing = await client.GetAsync(new Uri("/collections/987654/manifest.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, manifest.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, csv.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
