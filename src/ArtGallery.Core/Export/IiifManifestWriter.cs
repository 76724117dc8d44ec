using System.Globalization;
using System.Text.Json.Nodes;
using ArtGallery.Engines.Imaging;

namespace ArtGallery.Core.Export;

/// <summary>
/// A collection as a IIIF Presentation 3 manifest: one Canvas per work, painted by an Annotation
/// whose body is the large derived JPEG; the model's style suggestions are W3C Web Annotations with
/// motivation "tagging" and a TextualBody, their confidence in <c>schema:confidence</c> (0–1), the
/// schema.org prefix declared in an extension context placed before the IIIF context as the
/// specification asks.
/// </summary>
public static class IiifManifestWriter
{
    public const string PresentationContext = "http://iiif.io/api/presentation/3/context.json";
    public const string SchemaOrg = "https://schema.org/";

    /// <param name="baseUrl">The site's absolute base URL, e.g. https://gallery.example (ids must be absolute).</param>
    public static JsonObject Write(CollectionExport collection, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var root = baseUrl.TrimEnd('/');
        var manifestId = $"{root}/collections/{collection.Id}/manifest.json";
        var items = new JsonArray();
        foreach (var work in collection.Works)
        {
            items.Add(Canvas(work, $"{root}/collections/{collection.Id}", root));
        }

        var manifest = new JsonObject
        {
            ["@context"] = new JsonArray(new JsonObject { ["schema"] = SchemaOrg }, PresentationContext),
            ["id"] = manifestId,
            ["type"] = "Manifest",
            ["label"] = Language(collection.Name),
            ["homepage"] = new JsonArray(new JsonObject
            {
                ["id"] = $"{root}/collections/{collection.Slug}",
                ["type"] = "Text",
                ["label"] = Language(collection.Name),
                ["format"] = "text/html",
            }),
            ["items"] = items,
        };
        if (collection.Description is { Length: > 0 } description)
        {
            manifest["summary"] = Language(description);
        }

        return manifest;
    }

    private static JsonObject Canvas(ExportedWork work, string collectionBase, string root)
    {
        var canvasId = $"{collectionBase}/canvas/{work.Id}";
        var size = DerivedImage.TargetSize(work.Width, work.Height, DerivedSize.Large);
        var painting = new JsonObject
        {
            ["id"] = $"{canvasId}/annotation/painting",
            ["type"] = "Annotation",
            ["motivation"] = "painting",
            ["body"] = new JsonObject
            {
                ["id"] = $"{root}/images/large/{work.Sha256}.jpg",
                ["type"] = "Image",
                ["format"] = "image/jpeg",
                ["width"] = size.Width,
                ["height"] = size.Height,
            },
            ["target"] = canvasId,
        };
        var canvas = new JsonObject
        {
            ["id"] = canvasId,
            ["type"] = "Canvas",
            ["label"] = Language(work.Title),
            ["width"] = work.Width,
            ["height"] = work.Height,
            ["metadata"] = Metadata(work),
            ["items"] = new JsonArray(new JsonObject
            {
                ["id"] = $"{canvasId}/page/painting",
                ["type"] = "AnnotationPage",
                ["items"] = new JsonArray(painting),
            }),
        };
        if (work.Licence is { Length: > 0 } licence && Uri.TryCreate(licence, UriKind.Absolute, out _))
        {
            canvas["rights"] = licence;
        }

        if (work.Credit is { Length: > 0 } credit)
        {
            canvas["requiredStatement"] = Pair("Credit", credit);
        }

        if (work.Suggestions.Count > 0)
        {
            var tagging = new JsonArray();
            for (var i = 0; i < work.Suggestions.Count; i++)
            {
                var suggestion = work.Suggestions[i];
                var annotation = new JsonObject
                {
                    ["id"] = $"{canvasId}/annotation/style-{i + 1}",
                    ["type"] = "Annotation",
                    ["motivation"] = "tagging",
                    ["body"] = new JsonObject
                    {
                        ["type"] = "TextualBody",
                        ["value"] = suggestion.Style,
                        ["format"] = "text/plain",
                        ["purpose"] = "tagging",
                    },
                    ["target"] = canvasId,
                    ["schema:confidence"] = Math.Round(suggestion.Confidence, 4),
                };
                if (suggestion.Model is { Length: > 0 } model)
                {
                    annotation["creator"] = new JsonObject { ["type"] = "Software", ["name"] = model };
                }

                tagging.Add(annotation);
            }

            canvas["annotations"] = new JsonArray(new JsonObject
            {
                ["id"] = $"{canvasId}/page/style-suggestions",
                ["type"] = "AnnotationPage",
                ["items"] = tagging,
            });
        }

        return canvas;
    }

    private static JsonArray Metadata(ExportedWork work)
    {
        var pairs = new JsonArray();
        void Add(string label, string? value)
        {
            if (value is { Length: > 0 })
            {
                pairs.Add(Pair(label, value));
            }
        }

        Add("Artist", work.Artist);
        Add("Date", work.Year?.ToString(CultureInfo.InvariantCulture));
        Add("Medium", work.Medium);
        Add("Dimensions", work.Dimensions);
        Add("Description", work.Description);
        Add("Subject", string.Join("; ", work.Tags.Select(t => $"{t.Vocabulary.ToString().ToLowerInvariant()}:{t.Name}")));
        Add("Rights", work.Licence);
        return pairs;
    }

    private static JsonObject Pair(string label, string value) => new() { ["label"] = Language(label, "en"), ["value"] = Language(value) };

    private static JsonObject Language(string value, string language = "none") => new() { [language] = new JsonArray(value) };
}
