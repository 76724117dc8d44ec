using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ArtGallery.Testing;

namespace ArtGallery.BrowserTests;

/// <summary>
/// The real web app, started from its build output as its own process on a free loopback port,
/// over this test class's copy of the demo database. Subclasses may prepare that copy (accounts,
/// untagged works) before the app starts, and add to its environment.
/// </summary>
public class GalleryServer : IAsyncLifetime
{
    private Process? _process;
    private string _database = string.Empty;
    private readonly List<string> _log = [];

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The server's own database (a copy of the demo), for tests that arrange data behind it.</summary>
    public string Database => _database;

    /// <summary>Everything the app wrote to stdout and stderr, each line stamped with the UTC time it arrived (as the browser events are).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public int LogLineCount
    {
        get
        {
            lock (_log)
            {
                return _log.Count;
            }
        }
    }

    /// <summary>The log lines from line <paramref name="mark"/> on, at most the last <paramref name="maxLines"/>.</summary>
    public string LogSince(int mark, int maxLines)
    {
        lock (_log)
        {
            var lines = _log.Skip(mark).ToList();
            var skipped = Math.Max(0, lines.Count - maxLines);
            return (skipped > 0 ? $"({skipped} earlier lines left out)\n" : string.Empty) + string.Join('\n', lines.Skip(skipped));
        }
    }

    public async Task InitializeAsync()
    {
        var (connectionString, imagesDirectory) = await CreateDatabaseAsync();
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var web = WebAppPath();
        var start = new ProcessStartInfo("dotnet", $"\"{web}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(web)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Gallery"] = connectionString;
        start.Environment["Storage__DataDirectory"] = imagesDirectory;
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Engines__ExecutionProvider"] = "Cpu";
        ConfigureEnvironment(start.Environment);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/health"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The web app did not answer /health within 90 s:\n{Log}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        await DisposeDatabaseAsync();
    }

    /// <summary>
    /// The app's database and images: by default this class's copy of the demo on the shared test
    /// cluster, prepared by <see cref="PrepareDatabaseAsync"/>.
    /// </summary>
    protected virtual async Task<(string ConnectionString, string ImagesDirectory)> CreateDatabaseAsync()
    {
        var template = await TestDatabase.DemoTemplateAsync();
        _database = await TestDatabase.CloneDemoAsync("ag_web");
        await PrepareDatabaseAsync(_database, template.ImagesDirectory);
        return (TestDatabase.ConnectionStringFor(_database), template.ImagesDirectory);
    }

    protected virtual async Task DisposeDatabaseAsync()
    {
        if (_database.Length > 0)
        {
            await TestDatabase.DropAsync(_database);
        }
    }

    /// <summary>Runs on the test's copy of the database before the app starts.</summary>
    protected virtual Task PrepareDatabaseAsync(string database, string imagesDirectory) => Task.CompletedTask;

    protected virtual void ConfigureEnvironment(IDictionary<string, string?> environment)
    {
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        var stamped = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        lock (_log)
        {
            _log.Add(stamped);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/ArtGallery.Web's own build output, in the configuration these tests were built in.</summary>
    private static string WebAppPath() => BuildOutput("ArtGallery.Web", "ArtGallery.Web.dll");

    /// <summary>A project's build output under src/, in the configuration these tests were built in.</summary>
    internal static string BuildOutput(string project, string dll)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name; // …/bin/<Configuration>/net10.0/
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ArtGallery.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("Could not find the repository root above the test output.");
        }

        var path = Path.Combine(root.FullName, "src", project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first.", path);
    }
}
