using ArtGallery.Testing;
using Npgsql;

namespace ArtGallery.BrowserTests;

/// <summary>The web app reaching its database through a <see cref="DatabaseProxy"/> the outage test takes down.</summary>
public sealed class OutageGalleryServer : GalleryServer
{
    public DatabaseProxy Proxy { get; private set; } = null!;

    protected override Task PrepareDatabaseAsync(string database, string imagesDirectory)
    {
        Proxy = new DatabaseProxy(new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionStringFor(database)).Port);
        Proxy.Start();
        return Task.CompletedTask;
    }

    protected override void ConfigureEnvironment(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var connection = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__Gallery"]) { Port = Proxy.Port };
        environment["ConnectionStrings__Gallery"] = connection.ConnectionString;
    }
}
