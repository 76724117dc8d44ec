using System.Text.RegularExpressions;

namespace ArtGallery.UnitTests.Architecture;

/// <summary>
/// docs/architecture.md names types, files and settings in backticks; each must exist in the code, so
/// the map cannot drift from the territory unnoticed.
/// </summary>
public sealed partial class ArchitectureDocTests
{
    [Fact]
    public void EveryNameInTheArchitectureDoc_ExistsInTheRepository()
    {
        var root = LayeringTests.RepositoryRoot();
        var doc = File.ReadAllText(Path.Combine(root, "docs", "architecture.md"));
        var sources = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        // Files and folders: a Razor page is its file name, a feature its folder.
        var fileNames = sources.Select(Path.GetFileNameWithoutExtension)
            .Concat(Directory.EnumerateDirectories(Path.Combine(root, "src"), "*", SearchOption.AllDirectories).Select(Path.GetFileName))
            .ToHashSet(StringComparer.Ordinal);
        var code = string.Join('\n', sources.Select(File.ReadAllText));

        var names = Backticked().Matches(doc).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        var missing = names.Where(name => !Exists(name, root, fileNames, code)).ToList();

        Assert.True(names.Count > 80, $"only {names.Count} names read: the pattern no longer matches the doc");
        Assert.True(missing.Count == 0, "names in docs/architecture.md that the code does not have: " + string.Join(", ", missing));
    }

    private static bool Exists(string name, string root, HashSet<string?> fileNames, string code)
    {
        if (name.Contains('*', StringComparison.Ordinal))
        {
            return true; // a pattern, not a name
        }

        if (name.StartsWith("src/", StringComparison.Ordinal) || name.StartsWith("models/", StringComparison.Ordinal)
            || name.StartsWith("docs/", StringComparison.Ordinal) || name.StartsWith("migrations/", StringComparison.Ordinal))
        {
            var path = Path.Combine(root, name.TrimEnd('/', '…').TrimEnd('/'));
            return File.Exists(path) || Directory.Exists(path);
        }

        if (Identifier().IsMatch(name))
        {
            // A file or folder, or a type or member the code declares or uses.
            return fileNames.Contains(name) || Regex.IsMatch(code, $@"\b{name}\b");
        }

        if (QualifiedMember().Match(name) is { Success: true } member)
        {
            return Regex.IsMatch(code, $@"\b(class|record|interface|enum|struct)\s+{member.Groups[1].Value}\b") && code.Contains(member.Groups[2].Value, StringComparison.Ordinal);
        }

        // A setting, a SQL clause, a route: written somewhere in the code as it is here.
        return code.Contains(name, StringComparison.Ordinal);
    }

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex("^[A-Z][A-Za-z0-9]+$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^([A-Z][A-Za-z0-9]+)\.([A-Z][A-Za-z0-9]+)$")]
    private static partial Regex QualifiedMember();
}
