using ArtGallery.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ArtGallery.Migrations;

/// <summary>Lets `dotnet ef` build the model without a running app; no connection is opened to add a migration.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<GalleryDbContext>
{
    public GalleryDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Gallery")
            ?? "Host=127.0.0.1;Port=5432;Database=artgallery_design;Username=artgallery";
        var options = new DbContextOptionsBuilder<GalleryDbContext>()
            .UseNpgsql(connectionString, o => o.UseVector().MigrationsAssembly(MigrationsAssembly.Name))
            .Options;
        return new GalleryDbContext(options);
    }
}

public static class MigrationsAssembly
{
    public static string Name => typeof(MigrationsAssembly).Assembly.GetName().Name!;
}
