using ArtGallery.Engines.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ArtGallery.Core.Infrastructure;

/// <summary>The two registrations every feature with an engine or a worker repeats, written once.</summary>
public static class FeatureRegistration
{
    /// <summary>An engine as itself and as an <see cref="IEngine"/> (so /health lists it), with the engine options it reads.</summary>
    public static IServiceCollection AddEngine<TEngine>(this IServiceCollection services, IConfiguration configuration)
        where TEngine : class, IEngine
    {
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<TEngine>();
        services.AddSingleton<IEngine>(sp => sp.GetRequiredService<TEngine>());
        return services;
    }

    /// <summary>
    /// A background worker, unless its switch is off: registered as itself (tests and pages reach the
    /// running instance) and as the hosted service that runs it.
    /// </summary>
    public static IServiceCollection AddWorker<TWorker>(this IServiceCollection services, bool enabled)
        where TWorker : class, IHostedService
    {
        if (enabled)
        {
            services.AddSingleton<TWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<TWorker>());
        }

        return services;
    }
}
