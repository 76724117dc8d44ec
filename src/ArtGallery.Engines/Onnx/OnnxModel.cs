using System.Runtime.InteropServices;
using ArtGallery.Engines.Onnx.Proto;
using Google.Protobuf;

namespace ArtGallery.Engines.Onnx;

/// <summary>
/// A loaded ONNX model that can be edited before it is handed to ONNX Runtime: expose
/// intermediate tensors as outputs, free fixed input sizes, read initializers.
/// </summary>
public sealed class OnnxModel
{
    private readonly ModelProto _model;

    private OnnxModel(ModelProto model) => _model = model;

    public static OnnxModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream);
    }

    public static OnnxModel Parse(Stream stream)
    {
        // The ResNet18 file is 64 MB; the default 100 MB limit is fine, nesting depth is shallow.
        var parser = new MessageParser<ModelProto>(() => new ModelProto());
        return new OnnxModel(parser.ParseFrom(stream));
    }

    public GraphProto Graph => _model.Graph;

    public IReadOnlyList<string> InputNames => [.. Graph.Input.Select(i => i.Name).Where(n => Graph.Initializer.All(t => t.Name != n))];

    public IReadOnlyList<string> OutputNames => [.. Graph.Output.Select(o => o.Name)];

    public long OpsetVersion => _model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain)).Select(o => o.Version).DefaultIfEmpty(0).Max();

    /// <summary>Tensors produced by nodes of the given operator type, in graph order.</summary>
    public IReadOnlyList<string> OutputsOf(string opType) =>
        [.. Graph.Node.Where(n => n.OpType == opType).Select(n => n.Output[0])];

    /// <summary>
    /// Makes the named tensors graph outputs (float, shape left to inference), after the existing ones.
    /// </summary>
    public OnnxModel AddOutputs(IEnumerable<string> tensorNames)
    {
        var produced = Graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        foreach (var name in tensorNames)
        {
            if (!produced.Contains(name))
            {
                throw new ArgumentException($"No node in the graph produces '{name}'.", nameof(tensorNames));
            }

            if (Graph.Output.Any(o => o.Name == name))
            {
                continue;
            }

            Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        return this;
    }

    /// <summary>
    /// Replaces the fixed dimensions of every graph input with symbolic ones
    /// (<paramref name="symbols"/>[i] for dimension i; null keeps that dimension) and drops
    /// the stored intermediate shapes that were computed for the old size.
    /// </summary>
    public OnnxModel FreeInputDimensions(params string?[] symbols)
    {
        foreach (var input in Graph.Input)
        {
            if (Graph.Initializer.Any(t => t.Name == input.Name) || input.Type?.TensorType?.Shape is not { } shape)
            {
                continue;
            }

            for (var i = 0; i < shape.Dim.Count && i < symbols.Length; i++)
            {
                if (symbols[i] is { } symbol)
                {
                    shape.Dim[i] = new TensorShapeProto.Types.Dimension { DimParam = symbol };
                }
            }
        }

        // Output and intermediate shapes were recorded for the old input size: let ORT infer them.
        Graph.ValueInfo.Clear();
        foreach (var output in Graph.Output)
        {
            if (output.Type?.TensorType is { } tensorType)
            {
                tensorType.Shape = null;
            }
        }

        return this;
    }

    /// <summary>
    /// Removes nodes whose outputs no graph output depends on (and the initializers only they used),
    /// so ONNX Runtime neither computes them nor checks their shapes: after replacing the outputs,
    /// the old head (here a fixed 7×7 pool) no longer limits the input size.
    /// </summary>
    public OnnxModel PruneUnusedNodes()
    {
        var needed = Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var kept = new List<Proto.NodeProto>();
        foreach (var node in Graph.Node.Reverse())
        {
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                foreach (var input in node.Input)
                {
                    needed.Add(input);
                }
            }
        }

        kept.Reverse();
        Graph.Node.Clear();
        Graph.Node.AddRange(kept);
        var unusedInitializers = Graph.Initializer.Where(t => !needed.Contains(t.Name)).ToList();
        foreach (var initializer in unusedInitializers)
        {
            Graph.Initializer.Remove(initializer);
        }

        return this;
    }

    /// <summary>Reads a float initializer (raw or typed storage) as a flat array with its shape.</summary>
    public (float[] Values, long[] Shape) ReadFloatInitializer(string name)
    {
        var tensor = Graph.Initializer.FirstOrDefault(t => t.Name == name)
            ?? throw new ArgumentException($"The model has no initializer named '{name}'.", nameof(name));
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"Initializer '{name}' is not float (data type {tensor.DataType}).");
        }

        float[] values = tensor.HasRawData
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : [.. tensor.FloatData];
        return (values, [.. tensor.Dims]);
    }

    public byte[] ToByteArray() => _model.ToByteArray();
}
