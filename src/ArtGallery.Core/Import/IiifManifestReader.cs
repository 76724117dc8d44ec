using System.Text.Json;
using ArtGallery.Core.Ingestion;

namespace ArtGallery.Core.Import;

/// <summary>
/// Reads a IIIF Presentation 2 or 3 manifest whose images are local files: each canvas becomes a
/// row, its image resolved relative to the manifest's folder, its label the title and its metadata
/// pairs mapped like CSV columns (manifest-level pairs apply to every canvas, canvas pairs win).
/// </summary>
public static class IiifManifestReader
{
    public static List<PlannedRow> Plan(string manifestPath, ColumnMapping mapping, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        ArgumentNullException.ThrowIfNull(mapping);
        var name = Path.GetFileName(manifestPath);
        var root = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var length = new FileInfo(manifestPath).Length;
        if (length > maxBytes)
        {
            return [PlannedRow.Fail(name, $"the manifest is {length / (1024 * 1024)} MiB; the limit is {maxBytes / (1024 * 1024)} MiB")];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(manifestPath), new JsonDocumentOptions { MaxDepth = 64, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            return [PlannedRow.Fail(name, $"the manifest is not valid JSON: {ex.Message}")];
        }

        using (document)
        {
            try
            {
                return Plan(document.RootElement, name, root, mapping);
            }
            catch (InvalidOperationException ex)
            {
                // System.Text.Json refuses text it cannot turn into a string (a lone surrogate escape).
                return [PlannedRow.Fail(name, $"the manifest holds text that cannot be read: {ex.Message}")];
            }
        }
    }

    private static List<PlannedRow> Plan(JsonElement manifest, string name, string root, ColumnMapping mapping)
    {
        var type = manifest.ValueKind == JsonValueKind.Object ? Text(manifest, "type") ?? Text(manifest, "@type") : null;
        if (type is not ("Manifest" or "sc:Manifest"))
        {
            return [PlannedRow.Fail(name, "not a IIIF Presentation manifest: expected a JSON object with \"type\": \"Manifest\" (v3) or \"@type\": \"sc:Manifest\" (v2)")];
        }

        var v3 = type == "Manifest";
        var canvases = v3
            ? Array(manifest, "items")
            : Array(manifest, "sequences").Take(1).SelectMany(s => Array(s, "canvases")).ToList();
        if (canvases.Count == 0)
        {
            return [PlannedRow.Fail(name, v3 ? "the manifest has no canvases in \"items\"" : "the manifest has no canvases in sequences[0].canvases")];
        }

        var shared = new ArtworkMetadata(Label(manifest) ?? Path.GetFileNameWithoutExtension(name));
        string? sharedError = null;
        foreach (var (label, value) in Pairs(manifest))
        {
            sharedError ??= mapping.FieldOf(label) is { } field ? ColumnMapping.Apply(ref shared, field, value) : null;
        }

        var licence = v3 ? Text(manifest, "rights") : Text(manifest, "license");
        var credit = v3 && manifest.TryGetProperty("requiredStatement", out var statement) ? LanguageValue(statement, "value") : Text(manifest, "attribution");
        shared = shared with { Licence = shared.Licence ?? licence, Credit = shared.Credit ?? credit };

        var rows = new List<PlannedRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < canvases.Count; i++)
        {
            var source = $"{name}#canvas{i + 1}";
            try
            {
                rows.Add(Canvas(canvases[i], v3, i, canvases.Count, source, root, shared, sharedError, mapping, seen));
            }
            catch (InvalidOperationException ex)
            {
                rows.Add(PlannedRow.Fail(source, $"the canvas holds text that cannot be read: {ex.Message}"));
            }
        }

        return rows;
    }

    private static PlannedRow Canvas(
        JsonElement canvas, bool v3, int i, int count, string source, string root, ArtworkMetadata shared, string? sharedError, ColumnMapping mapping, Dictionary<string, int> seen)
    {
        var imageId = v3 ? V3ImageId(canvas) : V2ImageId(canvas);
        if (imageId is null)
        {
            return PlannedRow.Fail(source, "the canvas paints no image (no annotation body / resource id)");
        }

        if (ResolveImage(root, imageId, out var reason) is not { } file)
        {
            return PlannedRow.Fail(source, reason!);
        }

        if (seen.TryGetValue(file, out var first))
        {
            return PlannedRow.Skip(source, $"duplicate canvas: the same image as canvas {first}");
        }

        seen[file] = i + 1;
        var metadata = shared with
        {
            Title = Label(canvas) ?? (count == 1 ? shared.Title : ImportPaths.TitleFromFileName(file)),
            Source = MetadataRules.Source($"{source} {ImportPaths.Relative(root, file)}"),
        };
        var error = sharedError;
        foreach (var (label, value) in Pairs(canvas))
        {
            error ??= mapping.FieldOf(label) is { } field ? ColumnMapping.Apply(ref metadata, field, value) : null;
        }

        error ??= MetadataRules.Check(metadata);
        return error is null ? new PlannedRow(source) { File = file, Metadata = metadata } : PlannedRow.Fail(source, error);
    }

    private static string? ResolveImage(string root, string id, out string? reason)
    {
        reason = null;
        string relative;
        if (Uri.TryCreate(id, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1)
        {
            if (!uri.IsFile)
            {
                reason = $"the image {id} is remote; only local files beside the manifest are imported";
                return null;
            }

            var local = Path.GetFullPath(uri.LocalPath);
            relative = Path.GetRelativePath(root, local);
        }
        else
        {
            relative = Uri.UnescapeDataString(id);
        }

        if (ImportPaths.Resolve(root, relative) is not { } full)
        {
            reason = $"the image \"{id}\" is outside the manifest's folder";
            return null;
        }

        if (!File.Exists(full))
        {
            reason = $"no image file \"{relative}\" beside the manifest";
            return null;
        }

        return full;
    }

    private static string? V3ImageId(JsonElement canvas)
    {
        foreach (var page in Array(canvas, "items"))
        {
            foreach (var annotation in Array(page, "items"))
            {
                if (annotation.TryGetProperty("body", out var body))
                {
                    var first = body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().FirstOrDefault() : body;
                    if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("items", out _) && Text(first, "type") == "Choice")
                    {
                        first = Array(first, "items").FirstOrDefault();
                    }

                    if (first.ValueKind == JsonValueKind.Object && Text(first, "id") is { } id)
                    {
                        return id;
                    }
                }
            }
        }

        return null;
    }

    private static string? V2ImageId(JsonElement canvas) =>
        Array(canvas, "images").Select(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("resource", out var r) && r.ValueKind == JsonValueKind.Object ? Text(r, "@id") : null)
            .FirstOrDefault(id => id is not null);

    private static List<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)]
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Flatten(value) : null;

    private static string? Label(JsonElement element) => Text(element, "label") is { Length: > 0 } label ? label : null;

    private static string? LanguageValue(JsonElement element, string name) => Text(element, name);

    /// <summary>v2 strings, {"@value"} objects and arrays of them; v3 language maps ({"en": ["…"]}): the first text.</summary>
    private static string? Flatten(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Array => value.EnumerateArray().Select(Flatten).FirstOrDefault(v => v is not null),
        JsonValueKind.Object when value.TryGetProperty("@value", out var v) => Flatten(v),
        JsonValueKind.Object => value.EnumerateObject().Select(p => Flatten(p.Value)).FirstOrDefault(v => v is not null),
        _ => null,
    };

    private static IEnumerable<(string Label, string Value)> Pairs(JsonElement element)
    {
        foreach (var pair in Array(element, "metadata"))
        {
            if (Text(pair, "label") is { } label && Text(pair, "value") is { } value)
            {
                yield return (label, value);
            }
        }
    }
}
