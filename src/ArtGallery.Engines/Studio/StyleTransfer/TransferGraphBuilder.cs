namespace ArtGallery.Engines.Studio.StyleTransfer;

/// <summary>Which encoder tensors the losses read, and whether style features are softmax-smoothed first.</summary>
public sealed record TransferLayers(IReadOnlyList<string> StyleLayers, string ContentLayer, bool SoftmaxStyle)
{
    /// <summary>
    /// conv1 and the ends of stages 1–3 for style (the taps the style embedding uses); the end of
    /// stage 2 for content, the ResNet counterpart of VGG's conv4_2 in resolution (1/8).
    /// </summary>
    public static TransferLayers Default { get; } = new(
        ["ReLU253_Output_0", "ReLU283_Output_0", "ReLU315_Output_0", "ReLU347_Output_0"],
        "ReLU315_Output_0",
        SoftmaxStyle: false);
}

/// <summary>Channels and spatial size of one tapped tensor at the graph's image size.</summary>
public sealed record TensorShape(int Channels, int Height, int Width)
{
    public int Positions => Height * Width;

    public int Length => Channels * Height * Width;
}

/// <summary>A built gradient graph: ONNX bytes plus the shapes its inputs expect.</summary>
public sealed record TransferGraph(byte[] Model, int Height, int Width, IReadOnlyList<TensorShape> StyleShapes, TensorShape ContentShape);

/// <summary>
/// Emits one static ONNX graph that evaluates the Gatys loss and its gradient with respect to the
/// image: the encoder's forward pass, the content and Gram style losses, and the reverse-mode
/// backward pass (ConvTranspose for every Conv, a Sign mask for every Relu, gradient sums where a
/// tensor has several consumers). ONNX Runtime only runs inference; the differentiation happens here.
/// </summary>
public static class TransferGraphBuilder
{
    public const string ImageInput = "image";
    public const string ContentTargetInput = "content_target";
    public const string ContentWeightInput = "content_weight";
    public const string LossOutput = "loss";
    public const string ContentLossOutput = "content_loss";
    public const string StyleLossOutput = "style_loss";
    public const string GradientOutput = "gradient";
    public const string ContentFeaturesOutput = "content_features";

    /// <summary>Image sides must be multiples of this, so every stride-2 stage divides exactly.</summary>
    public const int SizeMultiple = 32;

    public static string GramTargetInput(int layer) => $"gram_target_{layer}";

    public static string StyleWeightInput(int layer) => $"style_weight_{layer}";

    public static string GramOutput(int layer) => $"gram_{layer}";

    public static TransferGraph Build(EncoderNetwork network, TransferLayers layers, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(layers);
        if (height < SizeMultiple || width < SizeMultiple || height % SizeMultiple != 0 || width % SizeMultiple != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"Image sides must be positive multiples of {SizeMultiple}, got {width}×{height}.");
        }

        var g = new GraphWriter();
        g.Input(ImageInput, 1, 3, height, width);

        // Forward pass, remembering each tensor's shape and the graph name it got.
        var name = new Dictionary<string, string>(StringComparer.Ordinal) { [network.Input] = ImageInput };
        var shape = new Dictionary<string, TensorShape>(StringComparer.Ordinal) { [network.Input] = new TensorShape(3, height, width) };
        var weights = new Dictionary<ConvOp, string>();
        foreach (var op in network.Ops)
        {
            switch (op)
            {
                case ConvOp conv:
                {
                    var w = g.Constant(conv.Weight, conv.OutChannels, conv.InChannelsPerGroup, conv.Kernel, conv.Kernel);
                    weights[conv] = w;
                    var b = g.Constant(conv.Bias, conv.OutChannels);
                    name[conv.Output] = g.Node("Conv", [name[conv.Input], w, b], ConvAttributes(conv));
                    var s = shape[conv.Input];
                    shape[conv.Output] = new TensorShape(conv.OutChannels, EncoderNetwork.OutputSize(s.Height, conv, true), EncoderNetwork.OutputSize(s.Width, conv, false));
                    break;
                }

                case ReluOp relu:
                    name[relu.Output] = g.Node("Relu", [name[relu.Input]]);
                    shape[relu.Output] = shape[relu.Input];
                    break;
                case AddOp add:
                    name[add.Output] = g.Node("Add", [name[add.Left], name[add.Right]]);
                    shape[add.Output] = shape[add.Left];
                    break;
            }
        }

        var gradients = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void AddGradient(string tensor, string gradient)
        {
            if (!gradients.TryGetValue(tensor, out var list))
            {
                gradients[tensor] = list = [];
            }

            list.Add(gradient);
        }

        // Content loss: weight · mean((F − Fc)²); dL/dF = weight · 2(F − Fc)/N.
        var contentShape = shape[layers.ContentLayer];
        g.Input(ContentTargetInput, 1, contentShape.Channels, contentShape.Height, contentShape.Width);
        g.Input(ContentWeightInput, 1);
        var features = name[layers.ContentLayer];
        var diff = g.Node("Sub", [features, ContentTargetInput]);
        var contentLoss = g.Node("Mul", [g.Node("ReduceMean", [g.Node("Mul", [diff, diff])], GraphWriter.Attr("keepdims", 0)), ContentWeightInput]);
        AddGradient(layers.ContentLayer, g.Node("Mul", [diff, g.Node("Mul", [ContentWeightInput, g.Scalar(2f / contentShape.Length)])]));
        g.Output(ContentFeaturesOutput, features);

        // Style loss per layer: weight · mean((G − Gt)²) with G = S·Sᵀ/M, S the C×M feature matrix.
        var styleLosses = new List<string>();
        var styleShapes = new List<TensorShape>();
        for (var l = 0; l < layers.StyleLayers.Count; l++)
        {
            var tensor = layers.StyleLayers[l];
            var s = shape[tensor];
            styleShapes.Add(s);
            g.Input(GramTargetInput(l), s.Channels, s.Channels);
            g.Input(StyleWeightInput(l), 1);
            var matrixShape = layers.SoftmaxStyle ? g.Int64Constant(1, s.Length) : g.Int64Constant(s.Channels, s.Positions);
            var flat = g.Node("Reshape", [name[tensor], matrixShape]);
            string? softmax = null;
            if (layers.SoftmaxStyle)
            {
                // Wang et al. (CVPR 2021): a softmax over the layer's activations smooths ResNet's
                // peaky features before the Gram matrix.
                softmax = g.Node("Softmax", [flat], GraphWriter.Attr("axis", 1));
                flat = softmax;
            }

            var matrix = g.Node("Reshape", [flat, g.Int64Constant(s.Channels, s.Positions)]);
            var gram = g.Node("Mul", [g.Node("MatMul", [matrix, g.Node("Transpose", [matrix], GraphWriter.Ints("perm", 1, 0))]), g.Scalar(1f / s.Positions)]);
            g.Output(GramOutput(l), gram);
            var gd = g.Node("Sub", [gram, GramTargetInput(l)]);
            styleLosses.Add(g.Node("Mul", [g.Node("ReduceMean", [g.Node("Mul", [gd, gd])], GraphWriter.Attr("keepdims", 0)), StyleWeightInput(l)]));

            // dL/dG = w·2(G − Gt)/C² (symmetric), so dL/dS = 2·dL/dG·S/M.
            var dGram = g.Node("Mul", [gd, g.Node("Mul", [StyleWeightInput(l), g.Scalar(2f / (s.Channels * (float)s.Channels))])]);
            var dMatrix = g.Node("Mul", [g.Node("MatMul", [dGram, matrix]), g.Scalar(2f / s.Positions)]);
            if (softmax is not null)
            {
                // y = softmax(x): dx = y ⊙ (dy − Σ dy ⊙ y).
                var dy = g.Node("Reshape", [dMatrix, g.Int64Constant(1, s.Length)]);
                var dot = g.Node("ReduceSum", [g.Node("Mul", [dy, softmax]), g.Int64Constant(1)], GraphWriter.Attr("keepdims", 1));
                dMatrix = g.Node("Mul", [softmax, g.Node("Sub", [dy, dot])]);
            }

            AddGradient(tensor, g.Node("Reshape", [dMatrix, g.Int64Constant(1, s.Channels, s.Height, s.Width)]));
        }

        var styleLoss = styleLosses.Count == 1 ? styleLosses[0] : g.Node("Sum", styleLosses);
        g.Output(ContentLossOutput, contentLoss);
        g.Output(StyleLossOutput, styleLoss);
        g.Output(LossOutput, g.Node("Add", [contentLoss, styleLoss]));

        // Reverse pass over the ops, summing the contributions of every consumer of a tensor.
        string? Gradient(string tensor) =>
            !gradients.TryGetValue(tensor, out var list) ? null : list.Count == 1 ? list[0] : g.Node("Sum", list);

        for (var i = network.Ops.Count - 1; i >= 0; i--)
        {
            var op = network.Ops[i];
            if (Gradient(op.Output) is not { } dOut)
            {
                continue;
            }

            switch (op)
            {
                case ConvOp conv:
                {
                    var inShape = shape[conv.Input];
                    var outShape = shape[conv.Output];

                    // ConvTranspose gives stride·(out − 1) + k − pads; output_padding restores the
                    // rows and columns the forward convolution's floor division dropped.
                    var padH = inShape.Height - ((conv.Stride * (outShape.Height - 1)) + conv.Kernel - conv.Pads[0] - conv.Pads[2]);
                    var padW = inShape.Width - ((conv.Stride * (outShape.Width - 1)) + conv.Kernel - conv.Pads[1] - conv.Pads[3]);
                    AddGradient(conv.Input, g.Node(
                        "ConvTranspose",
                        [dOut, weights[conv]],
                        [.. ConvAttributes(conv), GraphWriter.Ints("output_padding", padH, padW)]));
                    break;
                }

                case ReluOp relu:
                    // Sign(relu output) is 1 where the unit is active and 0 elsewhere.
                    AddGradient(relu.Input, g.Node("Mul", [dOut, g.Node("Sign", [name[relu.Output]])]));
                    break;
                case AddOp add:
                    AddGradient(add.Left, dOut);
                    AddGradient(add.Right, dOut);
                    break;
            }
        }

        g.Output(GradientOutput, Gradient(network.Input) ?? throw new InvalidOperationException("The losses do not depend on the image."));
        return new TransferGraph(g.ToModelBytes(), height, width, styleShapes, contentShape);
    }

    private static Onnx.Proto.AttributeProto[] ConvAttributes(ConvOp conv) =>
    [
        GraphWriter.Ints("kernel_shape", conv.Kernel, conv.Kernel),
        GraphWriter.Ints("strides", conv.Stride, conv.Stride),
        GraphWriter.Ints("pads", [.. conv.Pads.Select(p => (long)p)]),
        GraphWriter.Attr("group", conv.Group),
    ];
}
