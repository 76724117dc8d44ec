using System.Reflection;
using System.Xml.Linq;
using ArtGallery.Core.Import;
using ArtGallery.Core.Jobs;
using ArtGallery.Data;
using ArtGallery.Engines.Runtime;
using Microsoft.Extensions.Hosting;
using NetArchTest.Rules;

namespace ArtGallery.UnitTests.Architecture;

/// <summary>
/// The layering docs/architecture.md describes, checked on the built assemblies: hosts go through
/// Core's feature services, Engines stays free of EF Core and ASP.NET Core, and every background
/// worker runs the one loop.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Core = typeof(WorkerLoop).Assembly;
    private static readonly Assembly Engines = typeof(EngineStatus).Assembly;
    private static readonly Assembly Web = typeof(ArtGallery.Web.Features.Studio.StudioOwner).Assembly;
    private static readonly Assembly Cli = Assembly.Load("artgallery");
    private static readonly Assembly Evaluation = typeof(ArtGallery.Evaluation.MarketSimulator).Assembly;

    [Fact]
    public void WebAndCli_NeverTouchTheGalleryDbContext()
    {
        var offenders = Types.InAssemblies([Web, Cli])
            .That().HaveDependencyOn(typeof(GalleryDbContext).FullName!)
            .GetTypes()
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Engines_ReferencesNeitherEfCoreNorAspNetCore()
    {
        var result = Types.InAssembly(Engines).ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore").GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));

        // The built assembly names only what it uses; the project file says what it pulls in.
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "ArtGallery.Engines", "ArtGallery.Engines.csproj"));
        var references = project.Descendants()
            .Where(e => e.Name.LocalName is "FrameworkReference" or "PackageReference" or "ProjectReference")
            .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
            .ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || r.Contains("ArtGallery.Data", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryBackgroundService_DerivesFromTheWorkerLoop()
    {
        var result = Types.InAssemblies([Core, Web, Cli, Evaluation])
            .That().Inherit(typeof(BackgroundService)).And().AreNotAbstract()
            .Should().Inherit(typeof(WorkerLoop))
            .GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
        Assert.Contains(Types.InAssembly(Core).That().Inherit(typeof(WorkerLoop)).GetTypes(), t => t == typeof(ImportWorker));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ArtGallery.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("ArtGallery.sln not found above the test's folder.");
    }
}
