using System.Diagnostics;
using ArtGallery.Core.Import;
using ArtGallery.Core.Storage;

namespace ArtGallery.IntegrationTests;

/// <summary>
/// The real CLI, killed at random moments part-way through an import and run again: every work ends
/// up imported exactly once and every source row is accounted for in the report.
/// </summary>
public sealed class ImportCrashResumeTests(EmptyDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<EmptyDatabaseFixture>
{
    private const int Works = 200;
    private const int Kills = 5;

    [Fact]
    public async Task CliImport_KilledRepeatedlyAndRerun_ImportsEveryWorkExactlyOnce()
    {
        var folder = ImportSamples.CsvFolder(Works, salt: 300);
        var report = Path.Combine(folder, "report.csv");
        var contexts = fixture.Services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
        var hashes = Directory.EnumerateFiles(folder, "*.jpg").Select(f => ImageStore.Sha256Hex(File.ReadAllBytes(f))).ToHashSet();
        var random = new Random(Environment.TickCount);
        var kills = 0;
        var runs = 0;
        try
        {
            // Kill once a random number of new rows are recorded (so each kill lands part-way and
            // the import still advances), at a random moment inside the next chunk.
            while (kills < Kills && runs < 30)
            {
                runs++;
                var before = await RowsRecordedAsync(contexts);
                using var cli = Start(folder, report, out _);
                var target = before + random.Next(1, BulkImportService.ChunkSize + 1);
                var deadline = DateTime.UtcNow.AddMinutes(2);
                while (!cli.HasExited && await RowsRecordedAsync(contexts) < target)
                {
                    Assert.True(DateTime.UtcNow < deadline, "the import made no progress for two minutes");
                    await Task.Delay(15);
                }

                await Task.Delay(random.Next(0, 80));
                if (cli.HasExited)
                {
                    break;
                }

                cli.Kill(entireProcessTree: true);
                await cli.WaitForExitAsync();
                kills++;
                output.WriteLine($"kill {kills}: after {await RowsRecordedAsync(contexts)} of {Works} rows recorded");
            }

            using (var last = Start(folder, report, out var captured))
            {
                await last.WaitForExitAsync();
                var text = captured.ToString();
                Assert.True(last.ExitCode == 0, text);
                output.WriteLine(text.Split('\n').LastOrDefault(l => l.StartsWith("import:", StringComparison.Ordinal)) ?? text);
            }

            await using var db = await contexts.CreateDbContextAsync();
            var stored = await db.Artworks.Where(a => hashes.Contains(a.ImageSha256)).Select(a => a.ImageSha256).ToListAsync();
            Assert.Equal(Works, stored.Count);
            Assert.Equal(Works, stored.Distinct().Count());
            Assert.Equal(Works, await db.Artworks.CountAsync(a => a.Source!.StartsWith("metadata.csv:")));

            // One job, resumed after every kill; each source row has exactly one result: imported.
            var job = await db.Jobs.SingleAsync(j => j.Kind == BulkImportService.JobKind);
            Assert.Equal((JobState.Succeeded, kills + 1), (job.State, job.Attempts));
            var rows = await db.ImportRows.Where(r => r.JobId == job.Id).ToListAsync();
            Assert.Equal(Works, rows.Count);
            Assert.All(rows, r => Assert.Equal(ImportRowOutcome.Imported, r.Outcome));
            var csvLines = File.ReadAllLines(report).Skip(1).ToList();
            Assert.Equal(Works, csvLines.Count);
            foreach (var file in Directory.EnumerateFiles(folder, "*.jpg").Select(Path.GetFileName))
            {
                Assert.Single(csvLines, l => l.Contains($" {file},imported,", StringComparison.Ordinal));
            }

            // What the killed runs were writing is swept by the run after them.
            var temps = Directory.EnumerateFiles(fixture.ImagesDirectory, "*.tmp", SearchOption.AllDirectories).ToList();
            Assert.Empty(temps);
            output.WriteLine($"crash test: {kills} kills over {runs} runs, {Works} works imported exactly once, {rows.Count} report rows, {temps.Count} *.tmp files left");
            Assert.True(kills >= Kills, $"only {kills} kills landed before the import finished");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RowsRecordedAsync(IDbContextFactory<GalleryDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.ImportRows.CountAsync();
    }

    /// <summary>Starts the CLI; its output is drained as it comes, so a full pipe never stalls it.</summary>
    private Process Start(string folder, string report, out System.Text.StringBuilder captured)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { CliPath(), "import", folder, "--no-embed", "--report", report })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Gallery"] = fixture.ConnectionString;
        start.Environment["Storage__DataDirectory"] = fixture.ImagesDirectory;
        start.Environment["Engines__ExecutionProvider"] = "Cpu";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = start };
        var text = new System.Text.StringBuilder();
        captured = text;
        process.OutputDataReceived += (_, e) =>
        {
            lock (text)
            {
                text.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (text)
            {
                text.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The CLI built beside this test assembly: …/src/ArtGallery.Cli/bin/{Configuration}/{tfm}/artgallery.dll.</summary>
    private static string CliPath()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = bin.Name;
        var configuration = bin.Parent!.Name;
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ArtGallery.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("ArtGallery.sln not found above the test assembly"),
            "src", "ArtGallery.Cli", "bin", configuration, tfm, "artgallery.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the CLI first (the test project builds it).", path);
    }
}
