using ArtGallery.Core;
using ArtGallery.Core.Infrastructure;
using ArtGallery.Evaluation;
using ArtGallery.Evaluation.Verbs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArtGallery.Cli;

/// <summary>The same feature services as the web host, without the web.</summary>
internal static class CliHost
{
    public static async Task<IHost> StartAsync(CancellationToken cancellationToken) => await StartAsync(null, migrate: true, cancellationToken);

    /// <summary>A verb without options: starts the host, runs <paramref name="run"/> over its services, and exits with its code.</summary>
    public static Command Verb(string name, string description, Func<IServiceProvider, CancellationToken, Task<int>> run)
    {
        var command = new Command(name, description);
        command.SetAction(async (_, ct) =>
        {
            using var host = await StartAsync(ct);
            return await run(host.Services, ct);
        });
        return command;
    }

    /// <summary>The host for the eval and bench verbs of ArtGallery.Evaluation.</summary>
    public static HostStarter Starter { get; } = new(StartAsync);

    /// <summary>
    /// As <see cref="StartAsync(CancellationToken)"/> with settings over the environment's (a
    /// benchmark's own database); <paramref name="migrate"/> false for verbs that use the engines alone.
    /// </summary>
    public static async Task<IHost> StartAsync(IDictionary<string, string?>? overrides, bool migrate, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production",
        });
        // A verb does its work in the foreground: no feature's background worker runs in the CLI.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Import:Worker"] = "false",
            ["Embeddings:Worker"] = "false",
            ["Recognition:Worker"] = "false",
            ["Recommendations:Writer"] = "false",
            ["Studio:Worker"] = "false",
        });
        builder.Configuration.AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("ArtGallery.Engines.Encoding.StyleEncoder", LogLevel.Information);
        builder.Logging.AddFilter("ArtGallery.Engines.Studio.StyleTransfer.StyleTransferEngine", LogLevel.Information);

        // EF logs the expected failure of its first look for the migrations table as an error;
        // real command failures still surface as exceptions.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        builder.Services
            .AddGalleryFeatures(builder.Configuration)
            .AddEvaluation();
        var host = builder.Build();
        if (migrate)
        {
            await host.Services.MigrateGalleryDatabaseAsync(cancellationToken);
        }

        return host;
    }
}
