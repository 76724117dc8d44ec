using System.Runtime.CompilerServices;
using Bunit;

namespace ArtGallery.ComponentTests;

/// <summary>
/// bUnit's <c>WaitFor…</c> helpers give up after 1 s by default. These components wait on a real
/// PostgreSQL on a shared 2-core machine, where one round of queries can take longer than that while
/// other test assemblies run: every wait in this assembly gets 10 s unless it asks for its own.
/// </summary>
internal static class WaitTimeout
{
#pragma warning disable CA2255 // A test assembly's own setting, made once before any test runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
}
