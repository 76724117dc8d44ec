using System.Diagnostics;
using ArtGallery.Core.Storage;
using ArtGallery.Engines.Imaging;
using Microsoft.Extensions.Options;

namespace ArtGallery.IntegrationTests;

/// <summary>Issue 16: <c>kill -9</c> mid-import left <c>*.tmp</c> files under derived/; the next import sweeps them.</summary>
public sealed class ImageStoreTempSweepTests
{
    [Fact]
    public async Task Sweep_DeletesTempFilesOfDeadWritersAndOldOnes_AndKeepsALiveWritersFile()
    {
        var root = Directory.CreateTempSubdirectory("ag-tmp-sweep-").FullName;
        try
        {
            var store = new ImageStore(Options.Create(new StorageOptions { DataDirectory = root }), new ImageDecoder());
            var sha = new string('a', 64);
            var derived = store.DerivedPath(sha, DerivedSize.Thumb);
            Directory.CreateDirectory(Path.GetDirectoryName(derived)!);

            // A process that has exited: its id names a writer that will never finish.
            using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            await gone.WaitForExitAsync();
            var dead = $"{derived}.{gone.Id}.{Guid.NewGuid():N}.tmp";
            var live = $"{derived}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            var old = $"{store.OriginalPath(sha)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            Directory.CreateDirectory(Path.GetDirectoryName(old)!);
            foreach (var file in new[] { dead, live, old })
            {
                await File.WriteAllBytesAsync(file, new byte[100]);
            }

            File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));

            Assert.Equal(2, store.SweepStaleTempFiles(TimeSpan.FromHours(1)));
            Assert.False(File.Exists(dead));
            Assert.False(File.Exists(old));
            Assert.True(File.Exists(live));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
