namespace ArtGallery.Engines.Studio.StyleTransfer;

/// <summary>
/// Runs one gradient graph for one render. Inputs and outputs are bound once (IOBinding) to
/// buffers this instance owns, so a step only rewrites the image buffer and reads the gradient:
/// no per-step tensor allocation, and the constant targets are never re-marshalled.
/// </summary>
public sealed class GradientEvaluator : IDisposable
{
    private readonly InferenceSession _session;
    private readonly TransferGraph _graph;
    private readonly List<OrtValue> _values = [];
    private readonly float[] _image;
    private readonly float[] _gradient;
    private readonly float[] _styleLoss = new float[1];
    private readonly float[] _contentLoss = new float[1];
    private readonly RunOptions _runOptions = new();
    private OrtIoBinding? _binding;

    public GradientEvaluator(InferenceSession session, TransferGraph graph)
    {
        _session = session;
        _graph = graph;
        _image = new float[3 * graph.Height * graph.Width];
        _gradient = new float[_image.Length];
    }

    /// <summary>Content features and Gram matrices of an image (targets are zero, weights 0).</summary>
    public (float[] Content, float[][] Grams) Features(float[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            inputs[TransferGraphBuilder.ImageInput] = Tensor(image, 1, 3, _graph.Height, _graph.Width);
            var c = _graph.ContentShape;
            inputs[TransferGraphBuilder.ContentTargetInput] = Tensor(new float[c.Length], 1, c.Channels, c.Height, c.Width);
            inputs[TransferGraphBuilder.ContentWeightInput] = Tensor([0f], 1);
            for (var l = 0; l < _graph.StyleShapes.Count; l++)
            {
                var s = _graph.StyleShapes[l];
                inputs[TransferGraphBuilder.GramTargetInput(l)] = Tensor(new float[s.Channels * s.Channels], s.Channels, s.Channels);
                inputs[TransferGraphBuilder.StyleWeightInput(l)] = Tensor([0f], 1);
            }

            string[] outputs = [TransferGraphBuilder.ContentFeaturesOutput, .. Enumerable.Range(0, _graph.StyleShapes.Count).Select(TransferGraphBuilder.GramOutput)];
            using var results = _session.Run(_runOptions, [.. inputs.Keys], [.. inputs.Values], outputs);
            return (results[0].GetTensorDataAsSpan<float>().ToArray(), [.. results.Skip(1).Select(r => r.GetTensorDataAsSpan<float>().ToArray())]);
        }
        finally
        {
            foreach (var v in inputs.Values)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>Binds the targets and weights for every later <see cref="Evaluate"/>.</summary>
    public void SetTargets(float[] content, float contentWeight, IReadOnlyList<float[]> grams, IReadOnlyList<float> styleWeights)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(grams);
        ArgumentNullException.ThrowIfNull(styleWeights);
        _binding?.Dispose();
        foreach (var v in _values)
        {
            v.Dispose();
        }

        _values.Clear();
        _binding = _session.CreateIoBinding();
        var c = _graph.ContentShape;
        Bind(TransferGraphBuilder.ImageInput, _image, 1, 3, _graph.Height, _graph.Width);
        Bind(TransferGraphBuilder.ContentTargetInput, content, 1, c.Channels, c.Height, c.Width);
        Bind(TransferGraphBuilder.ContentWeightInput, [contentWeight], 1);
        for (var l = 0; l < _graph.StyleShapes.Count; l++)
        {
            var s = _graph.StyleShapes[l];
            Bind(TransferGraphBuilder.GramTargetInput(l), grams[l], s.Channels, s.Channels);
            Bind(TransferGraphBuilder.StyleWeightInput(l), [styleWeights[l]], 1);
        }

        BindOutput(TransferGraphBuilder.StyleLossOutput, _styleLoss, 1);
        BindOutput(TransferGraphBuilder.ContentLossOutput, _contentLoss, 1);
        BindOutput(TransferGraphBuilder.GradientOutput, _gradient, 1, 3, _graph.Height, _graph.Width);
    }

    /// <summary>Style loss, content loss and a fresh copy of d(loss)/d(image) at <paramref name="image"/>.</summary>
    public (float Style, float Content, float[] Gradient) Evaluate(ReadOnlySpan<float> image)
    {
        if (_binding is null)
        {
            throw new InvalidOperationException("Set the targets before evaluating.");
        }

        image.CopyTo(_image);
        _session.RunWithBinding(_runOptions, _binding);
        return (_styleLoss[0], _contentLoss[0], (float[])_gradient.Clone());
    }

    public void Dispose()
    {
        _binding?.Dispose();
        foreach (var v in _values)
        {
            v.Dispose();
        }

        _runOptions.Dispose();
    }

    private static OrtValue Tensor(float[] data, params long[] shape) =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.AsMemory(), shape);

    private void Bind(string name, float[] data, params long[] shape)
    {
        var value = Tensor(data, shape);
        _values.Add(value);
        _binding!.BindInput(name, value);
    }

    private void BindOutput(string name, float[] data, params long[] shape)
    {
        var value = Tensor(data, shape);
        _values.Add(value);
        _binding!.BindOutput(name, value);
    }
}
