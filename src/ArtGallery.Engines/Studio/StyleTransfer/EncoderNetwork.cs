using ArtGallery.Engines.Onnx;

namespace ArtGallery.Engines.Studio.StyleTransfer;

/// <summary>One differentiable operation of the encoder, batch normalisation already folded in.</summary>
public abstract record NetworkOp(string Output);

/// <summary>
/// A convolution with bias. Pads are ONNX order (top, left, bottom, right); a depthwise average
/// pool is a convolution with <see cref="Group"/> = channels and weights 1/k².
/// </summary>
public sealed record ConvOp(
    string Input,
    string Output,
    float[] Weight,
    int OutChannels,
    int InChannelsPerGroup,
    int Kernel,
    int Stride,
    int[] Pads,
    int Group,
    float[] Bias) : NetworkOp(Output);

public sealed record ReluOp(string Input, string Output) : NetworkOp(Output);

public sealed record AddOp(string Left, string Right, string Output) : NetworkOp(Output);

/// <summary>
/// The encoder as a list of Conv / Relu / Add operations, read from the ResNet18 ONNX file up to
/// the deepest tensor a loss needs: BatchNormalization (inference form) is folded into the
/// preceding convolution, and max pooling becomes average pooling, as Gatys et al. recommend for
/// image synthesis (smoother gradients, and a linear operation whose adjoint is a ConvTranspose).
/// </summary>
public sealed class EncoderNetwork
{
    private EncoderNetwork(string input, IReadOnlyList<NetworkOp> ops, IReadOnlyDictionary<string, int> channels)
    {
        Input = input;
        Ops = ops;
        Channels = channels;
    }

    public string Input { get; }

    public IReadOnlyList<NetworkOp> Ops { get; }

    /// <summary>Channel count of every tensor the ops produce (and of the input).</summary>
    public IReadOnlyDictionary<string, int> Channels { get; }

    public static EncoderNetwork Read(OnnxModel model, IEnumerable<string> neededTensors)
    {
        ArgumentNullException.ThrowIfNull(model);
        var input = model.InputNames.Single();
        var channels = new Dictionary<string, int>(StringComparer.Ordinal) { [input] = 3 };
        var ops = new List<NetworkOp>();
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        string Resolve(string name) => renamed.TryGetValue(name, out var r) ? r : name;
        var pendingConv = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var node in model.Graph.Node)
        {
            switch (node.OpType)
            {
                case "Conv":
                {
                    var (weight, shape) = model.ReadFloatInitializer(node.Input[1]);
                    var bias = node.Input.Count > 2 ? model.ReadFloatInitializer(node.Input[2]).Values : new float[shape[0]];
                    var kernel = (int)Ints(node, "kernel_shape")[0];
                    var group = (int)Int(node, "group", 1);
                    var conv = new ConvOp(
                        Resolve(node.Input[0]),
                        node.Output[0],
                        weight,
                        (int)shape[0],
                        (int)shape[1],
                        kernel,
                        (int)Ints(node, "strides")[0],
                        [.. Ints(node, "pads").Select(p => (int)p)],
                        group,
                        bias);
                    pendingConv[conv.Output] = ops.Count;
                    ops.Add(conv);
                    channels[conv.Output] = conv.OutChannels;
                    break;
                }

                case "BatchNormalization":
                {
                    if (!pendingConv.TryGetValue(node.Input[0], out var index))
                    {
                        throw new InvalidDataException($"BatchNormalization {node.Name} does not follow a convolution; it cannot be folded.");
                    }

                    var conv = (ConvOp)ops[index];
                    var scale = model.ReadFloatInitializer(node.Input[1]).Values;
                    var shift = model.ReadFloatInitializer(node.Input[2]).Values;
                    var mean = model.ReadFloatInitializer(node.Input[3]).Values;
                    var variance = model.ReadFloatInitializer(node.Input[4]).Values;
                    var epsilon = node.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
                    ops[index] = Fold(conv, scale, shift, mean, variance, epsilon) with { Output = node.Output[0] };
                    channels[node.Output[0]] = conv.OutChannels;
                    break;
                }

                case "Relu":
                    ops.Add(new ReluOp(Resolve(node.Input[0]), node.Output[0]));
                    channels[node.Output[0]] = channels[Resolve(node.Input[0])];
                    break;

                case "Add":
                    ops.Add(new AddOp(Resolve(node.Input[0]), Resolve(node.Input[1]), node.Output[0]));
                    channels[node.Output[0]] = channels[Resolve(node.Input[0])];
                    break;

                case "MaxPool":
                {
                    var source = Resolve(node.Input[0]);
                    var c = channels[source];
                    var kernel = (int)Ints(node, "kernel_shape")[0];
                    var weight = new float[c * kernel * kernel];
                    Array.Fill(weight, 1f / (kernel * kernel));
                    ops.Add(new ConvOp(source, node.Output[0], weight, c, 1, kernel, (int)Ints(node, "strides")[0], [.. Ints(node, "pads").Select(p => (int)p)], c, new float[c]));
                    channels[node.Output[0]] = c;
                    break;
                }

                default:
                    // The head (global pooling) and anything after it: no loss reads it.
                    break;
            }
        }

        return new EncoderNetwork(input, Prune(ops, neededTensors), channels);
    }

    /// <summary>Output spatial size of a convolution (floor division, as ONNX defines it).</summary>
    public static int OutputSize(int size, ConvOp conv, bool vertical)
    {
        ArgumentNullException.ThrowIfNull(conv);
        var (begin, end) = vertical ? (conv.Pads[0], conv.Pads[2]) : (conv.Pads[1], conv.Pads[3]);
        return ((size + begin + end - conv.Kernel) / conv.Stride) + 1;
    }

    private static ConvOp Fold(ConvOp conv, float[] scale, float[] shift, float[] mean, float[] variance, float epsilon)
    {
        var weight = (float[])conv.Weight.Clone();
        var bias = new float[conv.OutChannels];
        var per = weight.Length / conv.OutChannels;
        for (var m = 0; m < conv.OutChannels; m++)
        {
            var s = scale[m] / MathF.Sqrt(variance[m] + epsilon);
            for (var i = 0; i < per; i++)
            {
                weight[(m * per) + i] *= s;
            }

            bias[m] = ((conv.Bias[m] - mean[m]) * s) + shift[m];
        }

        return conv with { Weight = weight, Bias = bias };
    }

    private static List<NetworkOp> Prune(List<NetworkOp> ops, IEnumerable<string> neededTensors)
    {
        var needed = neededTensors.ToHashSet(StringComparer.Ordinal);
        var missing = needed.Where(n => ops.All(o => o.Output != n)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"The encoder produces no tensor named {string.Join(", ", missing)}.", nameof(neededTensors));
        }

        var kept = new List<NetworkOp>();
        for (var i = ops.Count - 1; i >= 0; i--)
        {
            if (!needed.Contains(ops[i].Output))
            {
                continue;
            }

            kept.Add(ops[i]);
            foreach (var input in Inputs(ops[i]))
            {
                needed.Add(input);
            }
        }

        kept.Reverse();
        return kept;
    }

    public static IEnumerable<string> Inputs(NetworkOp op) => op switch
    {
        ConvOp c => [c.Input],
        ReluOp r => [r.Input],
        AddOp a => [a.Left, a.Right],
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static Google.Protobuf.Collections.RepeatedField<long> Ints(Onnx.Proto.NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints ?? throw new InvalidDataException($"{node.OpType} {node.Name} has no '{name}' attribute.");

    private static long Int(Onnx.Proto.NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;
}
