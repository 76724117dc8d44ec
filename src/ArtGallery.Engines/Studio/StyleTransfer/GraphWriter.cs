using ArtGallery.Engines.Onnx.Proto;
using Google.Protobuf;

namespace ArtGallery.Engines.Studio.StyleTransfer;

/// <summary>Appends nodes, constants and graph inputs/outputs to a fresh ONNX graph, naming tensors uniquely.</summary>
public sealed class GraphWriter
{
    public const int Opset = 13;

    private readonly GraphProto _graph = new() { Name = "style-transfer" };
    private int _next;

    public string Node(string opType, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = $"{opType.ToLowerInvariant()}_{_next++}";
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public string Constant(float[] values, params long[] dims)
    {
        var name = $"const_{_next++}";
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Scalar(float value) => Constant([value], 1);

    public string Int64Constant(params long[] values)
    {
        var name = $"const_{_next++}";
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public void Input(string name, params long[] dims) => _graph.Input.Add(FloatInfo(name, dims));

    /// <summary>Exposes <paramref name="tensor"/> under <paramref name="name"/> (an Identity node renames it).</summary>
    public void Output(string name, string tensor)
    {
        var node = new NodeProto { OpType = "Identity", Name = name };
        node.Input.Add(tensor);
        node.Output.Add(name);
        _graph.Node.Add(node);
        _graph.Output.Add(new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
        });
    }

    public byte[] ToModelBytes()
    {
        var model = new ModelProto { IrVersion = 7, ProducerName = "ArtGallery.StyleTransfer", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model.ToByteArray();
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static ValueInfoProto FloatInfo(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
