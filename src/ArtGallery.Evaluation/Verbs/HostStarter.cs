using ArtGallery.Core.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// Starts the CLI's host (its <c>CliHost</c>: the web host's feature services without the web), with
/// optional settings over the environment's, such as a benchmark's own database. The CLI hands it
/// in, so eval and bench verbs compose services exactly as operator verbs do.
/// </summary>
/// <param name="start">Settings over the environment's (or null), whether to migrate the database first, cancellation.</param>
public sealed class HostStarter(Func<IDictionary<string, string?>?, bool, CancellationToken, Task<IHost>> start)
{
    /// <summary>The host with the gallery database migrated.</summary>
    public Task<IHost> StartAsync(CancellationToken cancellationToken) => start(null, true, cancellationToken);

    /// <summary>As <see cref="StartAsync(CancellationToken)"/>, with settings over the environment's.</summary>
    public Task<IHost> StartAsync(IDictionary<string, string?>? overrides, CancellationToken cancellationToken) => start(overrides, true, cancellationToken);

    /// <summary>The host for verbs that use the engines alone: the database is neither migrated nor needed.</summary>
    public Task<IHost> StartWithoutDatabaseAsync(CancellationToken cancellationToken) => start(null, false, cancellationToken);

    /// <summary>The connection string of the gallery database a started host runs on; a bench creates its own database beside it.</summary>
    public static string GalleryConnectionString(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Services.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseServiceCollectionExtensions.ConnectionStringName)
            ?? throw new InvalidOperationException("no gallery connection string");
    }
}
