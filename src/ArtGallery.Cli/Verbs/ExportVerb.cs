using System.Text.Json;
using ArtGallery.Core.Accounts;
using ArtGallery.Core.Export;

namespace ArtGallery.Cli.Verbs;

/// <summary><c>export --collection ID --format csv|iiif --out F</c>.</summary>
internal static class ExportVerb
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var collection = new Option<int>("--collection") { Description = "Collection id.", Required = true };
        var format = new Option<string>("--format") { Description = "csv (default) or iiif.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "iiif");
        var output = new Option<FileInfo>("--out") { Description = "File to write.", Required = true };
        var images = new Option<DirectoryInfo?>("--images") { Description = "CSV only: also copy the original images into this folder (so the CSV can be imported elsewhere)." };
        var baseUrl = new Option<string>("--base-url") { Description = "IIIF only: the gallery's public address, for absolute ids.", DefaultValueFactory = _ => "http://localhost:5080" };
        var command = new Command("export", "Export a collection as CSV (importable again) or as a IIIF Presentation 3 manifest with style-suggestion annotations.")
        {
            collection, format, output, images, baseUrl,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await CliHost.StartAsync(ct);
            var exporter = host.Services.GetRequiredService<CollectionExporter>();
            var export = await exporter.LoadAsync(GalleryAccess.Operator, parse.GetValue(collection), ct);
            if (export is null)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]no collection {parse.GetValue(collection)}[/]");
                return 2;
            }

            var file = parse.GetValue(output)!;
            file.Directory?.Create();
            if (parse.GetValue(format) == "iiif")
            {
                await using var stream = file.Create();
                await JsonSerializer.SerializeAsync(stream, IiifManifestWriter.Write(export, parse.GetValue(baseUrl)!), Indented, ct);
            }
            else
            {
                await using (var writer = new StreamWriter(file.FullName))
                {
                    await CollectionExporter.WriteCsvAsync(export, writer, ct);
                }

                if (parse.GetValue(images) is { } folder)
                {
                    var copied = await exporter.CopyImagesAsync(export, folder.FullName, ct);
                    Console.WriteLine($"export: copied {copied} images to {folder.FullName}");
                }
            }

            Console.WriteLine($"export: collection={export.Id} works={export.Works.Count} format={parse.GetValue(format)} out={file.FullName}");
            return 0;
        });
        return command;
    }
}
