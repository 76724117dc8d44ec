using ArtGallery.Core.Accounts;
using ArtGallery.Core.Curation;
using ArtGallery.Core.Demo;
using ArtGallery.Core.Embeddings;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Import;
using ArtGallery.Core.Infrastructure;
using ArtGallery.Core.Ingestion;
using ArtGallery.Core.Market;
using ArtGallery.Core.Recognition;
using ArtGallery.Core.Recommendations;
using ArtGallery.Core.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ArtGallery.Testing;

/// <summary>
/// Databases for tests on the real PostgreSQL + pgvector that test.sh provisions
/// (ConnectionStrings__Gallery). One template per test run holds the migrated, seeded and embedded
/// demo collection; every test class gets its own copy (CREATE DATABASE … TEMPLATE), dropped after.
/// When <see cref="RunTemplateVariable"/> names one (test.sh does), every test project of the run uses
/// that one template instead: the first to need it builds it, the others wait for it.
/// </summary>
public static class TestDatabase
{
    public const int DemoCount = 600;
    public const int DemoSeed = 42;

    /// <summary>
    /// The environment variable naming the run's one template (<c>ag_template_&lt;test.sh's process id&gt;_run</c>):
    /// test.sh runs the test projects side by side, and each building its own 600-work template
    /// (paint, embed, index) on the same two cores cost minutes of CI. test.sh drops it after the run.
    /// </summary>
    public const string RunTemplateVariable = "AG_TEST_TEMPLATE";

    private static readonly Lazy<Task<Template>> SharedTemplate = new(CreateTemplateAsync);
    private static readonly SemaphoreSlim CloneLock = new(1, 1);

    public sealed record Template(string Name, string ImagesDirectory);

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Gallery")
        ?? throw new InvalidOperationException("Tests need a PostgreSQL with pgvector: run them through ./test.sh, or set ConnectionStrings__Gallery.");

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true }.ConnectionString;

    public static Task<Template> DemoTemplateAsync() => SharedTemplate.Value;

    /// <summary>A fresh, empty database (no schema): for migration tests.</summary>
    public static async Task<string> CreateEmptyAsync(string prefix)
    {
        var name = UniqueName(prefix);
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return name;
    }

    /// <summary>A copy of the demo template, with its own name.</summary>
    public static async Task<string> CloneDemoAsync(string prefix)
    {
        var template = await DemoTemplateAsync();
        var name = UniqueName(prefix);

        // PostgreSQL copies a template only while nobody else uses it, another copy included.
        await CloneLock.WaitAsync();
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template.Name}\"");
                    return name;
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
                {
                    await Task.Delay(250);
                }
            }
        }
        finally
        {
            CloneLock.Release();
        }
    }

    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>The services of the CLI host over a given database and images folder.</summary>
    public static ServiceProvider Services(string database, string imagesDirectory, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gallery"] = ConnectionStringFor(database),
            ["Storage:DataDirectory"] = imagesDirectory,
            ["Engines:ExecutionProvider"] = "Cpu",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddGalleryFoundation(configuration).AddGallery().AddIngestion(configuration).AddBulkImport(configuration).AddEmbeddings(configuration).AddRecognition(configuration).AddSearch(configuration)
            .AddAccounts(configuration).AddCuration().AddRecommendations(configuration).AddMarket();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static string TemplatesRoot => Path.Combine(Path.GetTempPath(), "artgallery-tests");

    private static Task<Template> CreateTemplateAsync()
    {
        SweepAbandonedTemplates(TemplatesRoot);
        var shared = Environment.GetEnvironmentVariable(RunTemplateVariable);
        return string.IsNullOrEmpty(shared) ? CreateOwnTemplateAsync() : OpenRunTemplateAsync(shared);
    }

    /// <summary>
    /// The run's template, built by the first test process to get here: the others wait on an advisory
    /// lock while it builds under a name of its own, and find it once it is renamed into place (so a
    /// database by the run's name is always complete). Left for test.sh to drop, as other processes may
    /// still copy it when this one exits.
    /// </summary>
    private static async Task<Template> OpenRunTemplateAsync(string name)
    {
        const string Prefix = "ag_template_", Suffix = "_run";
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal)
            || name.Length <= Prefix.Length + Suffix.Length || !name[Prefix.Length..^Suffix.Length].All(char.IsAsciiDigit))
        {
            throw new InvalidOperationException($"{RunTemplateVariable}={name}: expected ag_template_<process id>_run.");
        }

        var images = Path.Combine(TemplatesRoot, name);
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        // Waits as long as another process's build takes (minutes on a loaded machine), not Npgsql's 30 s.
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext(@name))", connection) { CommandTimeout = 0 })
        {
            take.Parameters.AddWithValue("name", name);
            await take.ExecuteNonQueryAsync();
        }

        try
        {
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if ((long)(await exists.ExecuteScalarAsync())! == 0)
            {
                if (Directory.Exists(images))
                {
                    Directory.Delete(images, recursive: true);
                }

                var building = UniqueName($"ag_template_{Environment.ProcessId}");
                try
                {
                    await BuildTemplateAsync(building, images);
                    await ExecuteAsync($"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
                }
                catch
                {
                    await DropAsync(building);
                    throw;
                }
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext(@name))", connection);
            release.Parameters.AddWithValue("name", name);
            await release.ExecuteNonQueryAsync();
        }

        return new Template(name, images);
    }

    /// <summary>This test process's own template, dropped as it exits.</summary>
    private static async Task<Template> CreateOwnTemplateAsync()
    {
        var name = UniqueName($"ag_template_{Environment.ProcessId}");
        var images = Path.Combine(TemplatesRoot, name);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                DropAsync(name).GetAwaiter().GetResult();
                Directory.Delete(images, recursive: true);
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException)
            {
                // Best effort at exit; test.sh drops leftover test databases too.
            }
        };

        await BuildTemplateAsync(name, images);
        return new Template(name, images);
    }

    /// <summary>A new database holding the migrated, seeded, embedded and indexed demo collection, its images under <paramref name="images"/>.</summary>
    private static async Task BuildTemplateAsync(string name, string images)
    {
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        await using (var services = Services(name, images))
        {
            await services.MigrateGalleryDatabaseAsync();
            await services.GetRequiredService<DemoSeeder>().SeedAsync(DemoCount, DemoSeed);
            await services.GetRequiredService<EmbeddingPipeline>().EmbedMissingAsync();
            await services.GetRequiredService<ArtGallery.Core.Search.SearchIndexer>().IndexAsync();
        }

        // A template must have no open connections while it is copied (or renamed).
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Deletes the image folders of templates whose test process is gone. The exit handler above
    /// misses a test host that is killed (a timeout, Ctrl+C), and each folder holds ~300 MB: on a
    /// developer's machine they filled the disk.
    /// </summary>
    private static void SweepAbandonedTemplates(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(root, "ag_template_*"))
        {
            var parts = Path.GetFileName(folder).Split('_');
            if (parts.Length < 3 || !int.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another process is sweeping it too, or it is not ours: leave it.
            }
        }

        static bool IsAlive(int pid)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }

    private static string UniqueName(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        return name[..Math.Min(name.Length, 48)];
    }

    private static string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
