using ArtGallery.Core.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ArtGallery.Testing;

/// <summary>
/// xunit class fixture: a migrated database with no works and its own image folder, for tests that
/// count what they import (and do not need the embedded demo collection).
/// </summary>
public sealed class EmptyDatabaseFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    public string Database { get; private set; } = string.Empty;

    public string ImagesDirectory { get; } = Directory.CreateTempSubdirectory("ag-images-").FullName;

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Call InitializeAsync first.");

    public string ConnectionString => TestDatabase.ConnectionStringFor(Database);

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateEmptyAsync("ag_test_empty");
        _services = TestDatabase.Services(Database, ImagesDirectory);
        await _services.MigrateGalleryDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (Database.Length > 0)
        {
            await TestDatabase.DropAsync(Database);
        }

        Directory.Delete(ImagesDirectory, recursive: true);
    }
}
