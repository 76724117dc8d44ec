using System.Reflection;
using System.Security.Claims;
using ArtGallery.Core;
using ArtGallery.Core.Accounts;

namespace ArtGallery.IntegrationTests;

/// <summary>Every privileged operation × every kind of caller, against a real database, through the real services.</summary>
public sealed class AuthorizationMatrixTests(DemoDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task EveryPrivilegedOperation_ForEveryKindOfCaller_AllowsExactlyItsLevel()
    {
        var services = fixture.Services;
        var callers = await TestAccounts.EveryKindAsync(services, "matrix");
        var target = await TestAccounts.CreateAsync(services, "matrix-target@example.test");
        var scene = await SceneAsync(services, GalleryAccess.UserId(target)!);
        var wrong = new List<string>();
        var openToVisitors = new HashSet<string>();
        var checks = 0;
        foreach (var operation in PrivilegedOperations.All)
        {
            foreach (var (name, caller) in callers)
            {
                var expected = GalleryAccess.Allows(caller, operation.Level);
                var allowed = await AllowedAsync(operation, scene, caller);
                checks++;
                if (allowed != expected)
                {
                    wrong.Add($"{operation.Name} for {name}: {(allowed ? "allowed" : "denied")}, expected {(expected ? "allowed" : "denied")}");
                }

                if (allowed && operation.Level >= AccessLevel.Curate && name is "anonymous" or "visitor")
                {
                    openToVisitors.Add(operation.Name);
                }
            }
        }

        output.WriteLine($"authorization matrix: {callers.Count} callers x {PrivilegedOperations.All.Count} operations = {checks} checks, " +
            $"{openToVisitors.Count} privileged operations open to anonymous or visitor");
        Assert.Empty(wrong);
        Assert.Empty(openToVisitors);
        Assert.Equal(callers.Count * PrivilegedOperations.All.Count, checks);
    }

    [Fact]
    public void Registry_ListsEveryServiceMethodThatTakesACaller()
    {
        var inCore = typeof(Core.Infrastructure.GalleryFoundationServiceCollectionExtensions).Assembly.GetTypes()
            .Where(t => t.IsPublic)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(ClaimsPrincipal) && p.Name == "caller"))
                .Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var registered = PrivilegedOperations.All.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(registered.Count, PrivilegedOperations.All.Count);
        Assert.Empty(inCore.Except(registered));
        Assert.Empty(registered.Except(inCore));
    }

    /// <summary>True if the call went through; false if the access rule refused it. Anything else fails the test.</summary>
    internal static async Task<bool> AllowedAsync(PrivilegedOperation operation, OperationScene scene, ClaimsPrincipal caller)
    {
        try
        {
            await operation.Invoke(scene, caller);
            return true;
        }
        catch (GalleryAccessDeniedException)
        {
            return false;
        }
    }

    internal static async Task<OperationScene> SceneAsync(IServiceProvider services, string targetUserId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<GalleryDbContext>>().CreateDbContextAsync();
        var collection = await db.Collections.Where(c => c.OwnerId == null).OrderBy(c => c.Id).FirstAsync();
        var artwork = await db.Artworks.Where(a => !a.CollectionItems.Any(i => i.CollectionId == collection.Id)).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var style = await db.Tags.Where(t => t.Vocabulary == TagVocabulary.Style).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync();
        return new OperationScene(services, artwork, style, collection.Id, targetUserId);
    }
}
