using ArtGallery.Engines.Runtime;
using Microsoft.Extensions.Hosting;

namespace ArtGallery.Core.Infrastructure;

/// <summary>The registrations every feature repeats, written once.</summary>
public static class FeatureRegistration
{
    /// <summary>Each of <paramref name="types"/> as a singleton of itself: a feature's services, in one line.</summary>
    public static IServiceCollection AddSingletons(this IServiceCollection services, params ReadOnlySpan<Type> types)
    {
        foreach (var type in types)
        {
            services.AddSingleton(type);
        }

        return services;
    }

    /// <summary>Binds <typeparamref name="TOptions"/> to the section <paramref name="name"/> and returns it (for the feature's worker switch).</summary>
    public static IConfigurationSection ConfigureSection<TOptions>(this IServiceCollection services, IConfiguration configuration, string name)
        where TOptions : class
    {
        var section = configuration.GetSection(name);
        services.Configure<TOptions>(section);
        return section;
    }

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
