using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.IntegrationTests;

/// <summary>Small, distinct images and import folders written by the tests themselves.</summary>
internal static class ImportSamples
{
    /// <summary>A distinct image per (index, salt): colours and a bar position differ, so hashes do.</summary>
    public static byte[] Image(int index, int salt = 0, bool png = false)
    {
        using var image = new Image<Rgb24>(72, 54);
        var random = new Random(HashCode.Combine(index, salt, 7));
        var background = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        var bar = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        var column = index % 60;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = x >= column && x < column + 8 ? bar : background;
                }
            }
        });
        using var buffer = new MemoryStream();
        if (png)
        {
            image.SaveAsPng(buffer, new PngEncoder());
        }
        else
        {
            image.SaveAsJpeg(buffer, new JpegEncoder { Quality = 90 });
        }

        return buffer.ToArray();
    }

    public static string NewFolder(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>A folder of <paramref name="count"/> JPEGs and a metadata.csv naming each with Dublin Core columns.</summary>
    public static string CsvFolder(int count, int salt, string? folder = null)
    {
        folder ??= NewFolder("ag-import-");
        var csv = new StringBuilder("dc:identifier,dc:title,dc:creator,dc:date,dc:format,dc:subject,dc:rights,dc:source\n");
        for (var i = 0; i < count; i++)
        {
            var file = $"work-{salt}-{i:D3}.jpg";
            File.WriteAllBytes(Path.Combine(folder, file), Image(i, salt));
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{file},\"Study {salt}-{i}, in blue\",Ada Example,{1900 + i},Oil on canvas,style:Test Style; harbour,CC BY 4.0,Test Museum\n");
        }

        File.WriteAllText(Path.Combine(folder, "metadata.csv"), csv.ToString());
        return folder;
    }
}
