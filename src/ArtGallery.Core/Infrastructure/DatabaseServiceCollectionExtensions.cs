using ArtGallery.Migrations;
using Npgsql;

namespace ArtGallery.Core.Infrastructure;

public static class DatabaseServiceCollectionExtensions
{
    public const string ConnectionStringName = "Gallery";

    /// <summary>Registers the gallery's DbContext factory (Npgsql + pgvector, migrations assembly).</summary>
    public static IServiceCollection AddGalleryDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"No connection string '{ConnectionStringName}'. Start the app with ./run.sh, or set ConnectionStrings__{ConnectionStringName}.");
        return services.AddGalleryDatabase(connectionString);
    }

    public static IServiceCollection AddGalleryDatabase(this IServiceCollection services, string connectionString)
    {
        // Registered by factory so the container owns (and disposes) the data source and its pool.
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.UseVector();
            return builder.Build();
        });
        services.AddDbContextFactory<GalleryDbContext>((sp, o) => Configure(o, sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseNpgsql(dataSource, o => o.UseVector().MigrationsAssembly(MigrationsAssembly.Name));
    }

    /// <summary>Applies pending migrations; a fresh database gets the whole schema and the vector extension.</summary>
    public static async Task MigrateGalleryDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<GalleryDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);

        // The extension may have been created by this very migration: reload Npgsql's type map.
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ReloadTypesAsync(cancellationToken);
    }
}
