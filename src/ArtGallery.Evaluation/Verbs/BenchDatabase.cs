using ArtGallery.Core.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// A benchmark's own database beside the gallery's: created fresh (or, with reuse, the one a --keep
/// run left), the CLI host started on it (which migrates the gallery schema into it), and dropped
/// when disposed unless kept.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _galleryConnectionString;
    private readonly string _name;
    private readonly bool _keep;

    private BenchDatabase(string galleryConnectionString, string name, bool keep, bool reused, IHost host, NpgsqlDataSource dataSource)
    {
        (_galleryConnectionString, _name, _keep) = (galleryConnectionString, name, keep);
        (Reused, Host, DataSource) = (reused, host, dataSource);
    }

    /// <summary>Whether an existing database was reused rather than created.</summary>
    public bool Reused { get; }

    /// <summary>The CLI host, its connection string pointed at this database.</summary>
    public IHost Host { get; }

    /// <summary>Raw connections to this database (pgvector types mapped), for bulk loads and single queries.</summary>
    public NpgsqlDataSource DataSource { get; }

    public static async Task<BenchDatabase> OpenAsync(HostStarter cli, string galleryConnectionString, string name, bool keep, bool reuse, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cli);
        await using (var admin = NpgsqlDataSource.Create(galleryConnectionString))
        {
            if (reuse)
            {
                await using var exists = admin.CreateCommand($"SELECT count(*) FROM pg_database WHERE datname = '{name}'");
                reuse = (long)(await exists.ExecuteScalarAsync(ct))! == 1;
            }

            if (!reuse)
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", ct);
                await ExecuteAsync(admin, $"CREATE DATABASE {name}", ct);
            }
        }

        var connectionString = new NpgsqlConnectionStringBuilder(galleryConnectionString) { Database = name, CommandTimeout = 0 }.ConnectionString;
        IHost? host = null;
        try
        {
            // The gallery's own services and schema, pointed at the bench database.
            host = await cli.StartAsync(new Dictionary<string, string?> { [$"ConnectionStrings:{DatabaseServiceCollectionExtensions.ConnectionStringName}"] = connectionString }, ct);
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.UseVector();
            return new BenchDatabase(galleryConnectionString, name, keep, reuse, host, builder.Build());
        }
        catch
        {
            host?.Dispose();
            await DropAsync(galleryConnectionString, name, keep);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        Host.Dispose();
        await DropAsync(_galleryConnectionString, _name, _keep);
    }

    private static async Task DropAsync(string galleryConnectionString, string name, bool keep)
    {
        NpgsqlConnection.ClearAllPools();
        if (!keep)
        {
            await using var admin = NpgsqlDataSource.Create(galleryConnectionString);
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql, CancellationToken ct)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
