using Microsoft.ML.OnnxRuntime.Tensors;

namespace ArtGallery.Engines.Runtime;

/// <summary>
/// The hidden and cell state of an exported LSTM whose graph takes <c>h</c> and <c>c</c>
/// ([layers, 1, hidden]) beside its own inputs and returns <c>logits</c>, <c>h_out</c> and <c>c_out</c>:
/// the shape the melody and poem recipes export. Each <see cref="Run"/> carries the state forward.
/// </summary>
internal sealed class RecurrentState(int layers, int hidden)
{
    public int Layers { get; } = layers;

    /// <summary>Layers and hidden size read from the session's <c>h</c> input; (0, 0) without a session.</summary>
    public static (int Layers, int Hidden) Shape(InferenceSession? session) =>
        session?.InputMetadata["h"].Dimensions is { } state ? (state[0], state[2]) : (0, 0);

    public int Hidden { get; } = hidden;

    public float[] H { get; private set; } = new float[layers * hidden];

    public float[] C { get; private set; } = new float[layers * hidden];

    /// <summary>Runs <paramref name="session"/> on <paramref name="inputs"/> and this state; returns the logits and keeps the new state.</summary>
    public float[] Run(InferenceSession session, params NamedOnnxValue[] inputs)
    {
        NamedOnnxValue[] all =
        [
            .. inputs,
            NamedOnnxValue.CreateFromTensor("h", new DenseTensor<float>(H, [Layers, 1, Hidden])),
            NamedOnnxValue.CreateFromTensor("c", new DenseTensor<float>(C, [Layers, 1, Hidden])),
        ];
        using var outputs = session.Run(all);
        float[] logits = [];
        foreach (var output in outputs)
        {
            var values = output.AsTensor<float>().ToArray();
            switch (output.Name)
            {
                case "logits":
                    logits = values;
                    break;
                case "h_out":
                    H = values;
                    break;
                case "c_out":
                    C = values;
                    break;
            }
        }

        return logits;
    }
}
