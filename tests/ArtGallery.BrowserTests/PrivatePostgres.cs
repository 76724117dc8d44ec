using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace ArtGallery.BrowserTests;

/// <summary>
/// A PostgreSQL cluster of one test's own, in a temporary folder on a free loopback port, that the test
/// may stop and start: the distribution's server binaries and pgvector, as scripts/provision.sh sets them
/// up, run by the same unprivileged user (PostgreSQL refuses root). Removed on dispose.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string? _owner;
    private readonly string _home;
    private readonly string _password = Guid.NewGuid().ToString("N");

    private PrivatePostgres(string bin, string? owner, string home, int port)
    {
        (_bin, _owner, _home, Port) = (bin, owner, home, port);
    }

    public int Port { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = "artgallery",
        Username = "artgallery",
        Password = _password,
    }.ConnectionString;

    private string DataDirectory => Path.Combine(_home, "data");

    /// <summary>initdb, start, and an empty database named artgallery (the app migrates it).</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql: run scripts/provision.sh (ag_provision_database) first.");
        }

        // As root, the user provision.sh made for its own cluster owns this one too.
        var owner = Environment.UserName == "root" ? Environment.GetEnvironmentVariable("ARTGALLERY_PG_USER") ?? "artgallery" : null;
        var home = Path.Combine(Path.GetTempPath(), $"ag-pg-{Guid.NewGuid():N}");
        if (owner is null)
        {
            Directory.CreateDirectory(home);
        }
        else
        {
            await RunAsync("install", ["-d", "-o", owner, "-m", "700", home]);
        }

        var cluster = new PrivatePostgres(bin, owner, home, GalleryServer.FreePort());
        try
        {
            await cluster.InitializeAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>pg_ctl stop -m fast: open sessions are ended, new connections refused.</summary>
    public Task StopAsync() => PgCtlAsync("-m", "fast", "-w", "-t", "60", "stop");

    public Task StartAgainAsync() => PgCtlAsync("-l", Path.Combine(_home, "postgres.log"), "-w", "-t", "60", "start");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await PgCtlAsync("-m", "immediate", "-w", "-t", "60", "stop");
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (Directory.Exists(_home))
            {
                Directory.Delete(_home, recursive: true);
            }
        }
    }

    private async Task InitializeAsync()
    {
        var passwordFile = Path.Combine(_home, "password");
        await File.WriteAllTextAsync(passwordFile, _password + "\n");
        await AsOwnerAsync(Path.Combine(_bin, "initdb"), "-D", DataDirectory, "-U", "artgallery", $"--pwfile={passwordFile}", "-E", "UTF8",
            "--locale=C.UTF-8", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--no-sync");
        File.Delete(passwordFile);

        // A throwaway cluster: no durability needed, little memory.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), string.Create(CultureInfo.InvariantCulture, $"""

            # ArtGallery outage test's own cluster
            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{_home}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            shared_buffers = 32MB
            max_connections = 60

            """));
        await StartAgainAsync();

        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE DATABASE artgallery", connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task PgCtlAsync(params string[] arguments) => AsOwnerAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, .. arguments]);

    private Task AsOwnerAsync(string program, params string[] arguments) =>
        _owner is null ? RunAsync(program, arguments) : RunAsync("runuser", ["-u", _owner, "--", program, .. arguments]);

    /// <summary>Runs a program to its end; a failure throws with everything it wrote.</summary>
    internal static async Task RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{output}");
        }

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }
}
