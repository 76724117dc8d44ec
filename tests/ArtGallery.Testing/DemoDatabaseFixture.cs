using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ArtGallery.Testing;

/// <summary>xunit class fixture: this test class's own copy of the embedded demo collection.</summary>
public sealed class DemoDatabaseFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    public string Database { get; private set; } = string.Empty;

    public string ImagesDirectory { get; private set; } = string.Empty;

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Call InitializeAsync first.");

    public async Task InitializeAsync()
    {
        var template = await TestDatabase.DemoTemplateAsync();
        ImagesDirectory = template.ImagesDirectory;
        Database = await TestDatabase.CloneDemoAsync("ag_test");
        _services = TestDatabase.Services(Database, ImagesDirectory);
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
    }
}
