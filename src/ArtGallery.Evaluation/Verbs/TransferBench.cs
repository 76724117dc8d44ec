using ArtGallery.Engines.Demo;
using ArtGallery.Engines.Studio.StyleTransfer;
using Microsoft.Extensions.Logging;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// One style-transfer step (loss + gradient graph, total variation, Adam) against one plain forward
/// pass of the encoder at the same size, alternating in one run.
/// </summary>
internal static class TransferBench
{
    public static Command Create(HostStarter cli)
    {
        var size = new Option<int>("--size") { Description = "Square image side (a multiple of 32).", DefaultValueFactory = _ => 512 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds (one forward, one step each); the median is reported.", DefaultValueFactory = _ => 5 };
        var softmax = new Option<bool>("--softmax") { Description = "Bench the softmax-smoothed style loss." };
        var command = new Command("transfer", "Style-transfer step time against one encoder forward pass at the same size.") { size, rounds, softmax };
        command.SetAction(async (parse, ct) =>
        {
            var side = parse.GetValue(size);
            if (side < 32 || side > 2048 || side % TransferGraphBuilder.SizeMultiple != 0)
            {
                Console.Error.WriteLine($"--size must be a multiple of {TransferGraphBuilder.SizeMultiple} between 32 and 2048.");
                return 2;
            }

            using var host = await cli.StartWithoutDatabaseAsync(ct);
            var encoder = host.Services.GetRequiredService<StyleEncoder>();
            using var engine = ActivatorUtilities.CreateInstance<StyleTransferEngine>(host.Services, TransferLayers.Default with { SoftmaxStyle = parse.GetValue(softmax) });
            if (!encoder.IsAvailable || !engine.IsAvailable)
            {
                Console.Error.WriteLine($"Engine unavailable: {encoder.UnavailableReason ?? engine.UnavailableReason}");
                return 1;
            }

            var plan = DemoCatalogue.Plan(12, 42);
            using var paintedPhoto = DemoPainter.Paint(plan[0]);
            using var paintedStyle = DemoPainter.Paint(plan[7]);
            using var photo = TransferMath.Fill(paintedPhoto, side, side);
            using var style = TransferMath.Fill(paintedStyle, side, side);
            var photoTensor = TransferMath.ToTensor(photo, engine.BgrMeans);
            var styleTensor = TransferMath.ToTensor(style, engine.BgrMeans);
            var forwardInput = new float[photoTensor.Length];
            encoder.PrepareAnySize(photo, forwardInput);

            using var probe = engine.Probe(side, side, styleTensor, photoTensor);
            var x = (float[])photoTensor.Clone();
            var defaults = new TransferSettings();
            var adam = new AdamOptimizer(x.Length, defaults.LearningRate);
            var colourTarget = ColourMoments.Of(styleTensor);
            void Step()
            {
                var (_, _, gradient) = probe.Evaluate(x);
                TransferMath.AddTotalVariation(x, side, side, defaults.TotalVariationWeight, gradient);

                // The colour-moment term (decision 0015) is part of every default step.
                ColourMoments.AddLoss(x, colourTarget, defaults.ColourWeight, gradient);
                adam.Step(x, gradient);
                TransferMath.ClampToPixels(x, engine.BgrMeans);
            }

            // Untimed once each: ORT's arena and the JIT settle first.
            encoder.RunRaw(forwardInput, 1, side, side);
            Step();
            var steps = new List<double>();
            var forwards = new List<double>();
            for (var round = 0; round < parse.GetValue(rounds); round++)
            {
                var sw = Stopwatch.StartNew();
                encoder.RunRaw(forwardInput, 1, side, side);
                forwards.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                Step();
                steps.Add(sw.Elapsed.TotalMilliseconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: forward {forwards[^1]:F0} ms, step {steps[^1]:F0} ms"));
            }

            var stepMs = Timing.Median(steps);
            var forwardMs = Timing.Median(forwards);
            Console.WriteLine($"provider={engine.Provider} size={side} rounds={steps.Count}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step_ms={stepMs:F0} forward_ms={forwardMs:F0} ratio={stepMs / forwardMs:F2}"));
            return 0;
        });
        return command;
    }
}
