namespace ArtGallery.BrowserTests;

/// <summary>
/// The web app over a PostgreSQL cluster of its own (<see cref="PrivatePostgres"/>), which the outage test
/// stops and starts: migrated by the app's own start-up and seeded with a small demo by the operator CLI
/// (<c>seed-demo</c>, as ./run.sh does), so the shared test cluster of the classes beside it stays up.
/// </summary>
public sealed class OutageGalleryServer : GalleryServer
{
    /// <summary>Works in the small demo: enough for every page, quick to paint and embed.</summary>
    public const int DemoCount = 24;

    private string? _images;

    public PrivatePostgres Cluster { get; private set; } = null!;

    protected override async Task<(string ConnectionString, string ImagesDirectory)> CreateDatabaseAsync()
    {
        Cluster = await PrivatePostgres.StartAsync();
        _images = Directory.CreateTempSubdirectory("ag-outage-images-").FullName;
        var cli = BuildOutput("ArtGallery.Cli", "artgallery.dll");
        await PrivatePostgres.RunAsync("dotnet", [cli, "seed-demo", "--count", DemoCount.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Gallery"] = Cluster.ConnectionString,
                ["Storage__DataDirectory"] = _images,
                ["Engines__ExecutionProvider"] = "Cpu",
            },
            workingDirectory: Path.GetDirectoryName(cli));
        return (Cluster.ConnectionString, _images);
    }

    protected override async Task DisposeDatabaseAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (_images is not null && Directory.Exists(_images))
        {
            Directory.Delete(_images, recursive: true);
        }
    }
}
