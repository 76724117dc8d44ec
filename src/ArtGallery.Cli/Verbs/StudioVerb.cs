using System.Diagnostics;
using ArtGallery.Core.Gallery;
using ArtGallery.Core.Studio.Poetry;
using ArtGallery.Engines.Encoding;
using ArtGallery.Engines.Imaging;
using ArtGallery.Engines.Studio.Poetry;
using ArtGallery.Engines.Studio.StyleTransfer;
using ArtGallery.Evaluation.Recognition;
using ArtGallery.Evaluation.Search;
using ArtGallery.Evaluation.Verbs;
using ArtGallery.Engines.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArtGallery.Cli.Verbs;

/// <summary>Studio renders from the command line: transfer and sheet use the engines alone (no database); poem may read a work.</summary>
internal static class StudioVerb
{
    public static Command Create()
    {
        var studio = new Command("studio", "Studio renders (style transfer, poems).");
        studio.Subcommands.Add(Transfer());
        studio.Subcommands.Add(EvaluationCommands.StudioSheet(CliHost.Starter));
        studio.Subcommands.Add(Poem());
        return studio;
    }

    private static Command Transfer()
    {
        var content = new Option<string>("--content") { Description = "The photo: a file, or demo:N.", Required = true };
        var style = new Option<string[]>("--style") { Description = "One to three style images (files or demo:N); repeat the option.", Required = true, AllowMultipleArgumentsPerToken = true };
        var weights = new Option<float[]>("--style-weight") { Description = "Blend weight per --style, in order (default 1 each).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Where to write the PNG.", Required = true };
        var size = new Option<int>("--size") { Description = "Longer side in pixels (256–1024).", DefaultValueFactory = _ => 512 };
        var steps = new Option<int>("--steps") { Description = "Optimisation steps.", DefaultValueFactory = _ => 300 };
        var strength = new Option<float>("--strength") { Description = "Style weight relative to content.", DefaultValueFactory = _ => new TransferSettings().Strength };
        var contentWeight = new Option<float>("--content-weight") { Description = "Content weight.", DefaultValueFactory = _ => 1f };
        var keepColours = new Option<bool>("--keep-colors") { Description = "Keep the photo's own colours (luminance-only transfer)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var softmax = new Option<bool>("--softmax") { Description = "Softmax-smooth style features before the Gram matrices (Wang et al. 2021)." };
        var tuning = new TransferInputs.TuningOptions();
        var command = new Command("transfer", "Paint a photo in the style of one or more works (Gatys et al. on ResNet18).")
        {
            content, style, weights, output, size, steps, strength, contentWeight, keepColours, seed, softmax,
        };
        tuning.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var settings = tuning.Apply(parse, new TransferSettings
            {
                Size = parse.GetValue(size),
                Steps = parse.GetValue(steps),
                Strength = parse.GetValue(strength),
                ContentWeight = parse.GetValue(contentWeight),
                KeepColours = parse.GetValue(keepColours),
                Seed = parse.GetValue(seed),
            });
            if (settings.Problem() is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }

            var styleSources = parse.GetValue(style) ?? [];
            var styleWeights = parse.GetValue(weights) ?? [];
            if (styleSources.Length is < 1 or > 3 || (styleWeights.Length > 0 && styleWeights.Length != styleSources.Length))
            {
                Console.Error.WriteLine("Give one to three --style images and, if any, one --style-weight per style.");
                return 2;
            }

            // The engines alone: no database. The engine is built for these layers, with the host's bound engine options.
            using var host = await CliHost.StartAsync(null, migrate: false, ct);
            var images = new List<Image<Rgb24>>();
            try
            {
                using var photo = TransferInputs.LoadImage(parse.GetValue(content)!);
                images.AddRange(styleSources.Select(TransferInputs.LoadImage));
                var layers = tuning.Layers(parse) with { SoftmaxStyle = parse.GetValue(softmax) };
                using var engine = ActivatorUtilities.CreateInstance<StyleTransferEngine>(host.Services, layers);
                if (!engine.IsAvailable)
                {
                    Console.Error.WriteLine($"Style transfer is unavailable: {engine.UnavailableReason}");
                    return 1;
                }

                var stopwatch = Stopwatch.StartNew();
                var sources = images.Select((im, i) => new StyleSource(im, styleWeights.Length > 0 ? styleWeights[i] : 1f)).ToList();
                using var result = engine.Transfer(photo, sources, settings, p =>
                {
                    if (p.Step == 1 || p.Step % 25 == 0 || p.Step == p.Steps)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.Steps} style_loss={p.StyleLoss:F5} content_loss={p.ContentLoss:F5}"));
                    }
                }, ct);
                var seconds = stopwatch.Elapsed.TotalSeconds;
                var path = parse.GetValue(output)!;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                result.Image.SaveAsPng(path);

                // How far the style embedding the gallery searches with moved toward the (first) style.
                var encoder = host.Services.GetRequiredService<StyleEncoder>();
                if (encoder.IsAvailable)
                {
                    var encoded = encoder.Encode([photo, result.Image, images[0]]);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"style_similarity_photo={StyleDescriptors.CosineSimilarity(encoded[0].Style, encoded[2].Style):F3} style_similarity_result={StyleDescriptors.CosineSimilarity(encoded[1].Style, encoded[2].Style):F3} provider={engine.Provider} step_ms={result.StepMilliseconds:F0}"));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"style_loss_drop={result.StyleLossDrop:F3} content_loss_ratio={result.ContentLossRatio:F3} seconds={seconds:F1}"));
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or ImageRejectedException or IOException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
            finally
            {
                foreach (var image in images)
                {
                    image.Dispose();
                }
            }
        });
        return command;
    }

    /// <summary><c>studio poem</c>: one poem from keywords or for a work of the gallery, printed with its settings.</summary>
    private static Command Poem()
    {
        var work = new Option<int?>("--work") { Description = "Artwork id: its title, tags, style and colours are the keywords." };
        var keywords = new Option<string?>("--keywords") { Description = "Space-separated keywords (instead of --work)." };
        var form = new Option<PoemForm>("--form") { Description = "FreeVerse, RhymedQuatrains or Tercets.", DefaultValueFactory = _ => PoemForm.FreeVerse };
        var lines = new Option<int>("--lines") { Description = "Lines of verse.", DefaultValueFactory = _ => 12 };
        var seed = new Option<int>("--seed") { Description = "Same seed, same poem.", DefaultValueFactory = _ => 1 };
        var temperature = new Option<double>("--temperature") { DefaultValueFactory = _ => 0.8 };
        var boost = new Option<float>("--keyword-boost") { Description = "Added to a keyword's logit until it is used; 0 = the model alone.", DefaultValueFactory = _ => new PoemRequest().KeywordBoost };
        var command = new Command("poem", "Write one poem from --keywords or for --work.") { work, keywords, form, lines, seed, temperature, boost };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await CliHost.StartAsync(ct);
            var studio = host.Services.GetRequiredService<PoemStudioService>();
            if (!studio.IsAvailable)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]the poem model is unavailable: {studio.UnavailableReason}[/]");
                return 1;
            }

            IReadOnlyList<string> words = (parse.GetValue(keywords) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parse.GetValue(work) is { } id)
            {
                if (await host.Services.GetRequiredService<GalleryService>().GetArtworkAsync(id, ct) is not { } detail)
                {
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]no artwork {id}[/]");
                    return 2;
                }

                var fromWork = studio.KeywordsFor(detail);
                words = [.. fromWork.Select(k => k.Word)];
                Console.WriteLine($"work {id} \"{detail.Card.Title}\" ({detail.Card.Style}); keywords: {string.Join(", ", fromWork.Select(k => $"{k.Word} ({k.Source})"))}");
            }

            var poem = studio.Write(new PoemRequest { Keywords = words, Form = parse.GetValue(form), Lines = parse.GetValue(lines), Seed = parse.GetValue(seed), Temperature = parse.GetValue(temperature), KeywordBoost = parse.GetValue(boost) });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"form {poem.Request.Form}, {poem.VerseLineCount} lines, temperature {poem.Request.Temperature}, top-k {poem.Request.TopK}, top-p {poem.Request.TopP}, keyword boost {poem.Request.KeywordBoost}, seed {poem.Request.Seed}; model read: {string.Join(' ', poem.UsedKeywords)}"));
            Console.WriteLine();
            Console.WriteLine(poem.Text);
            return 0;
        });
        return command;
    }
}
