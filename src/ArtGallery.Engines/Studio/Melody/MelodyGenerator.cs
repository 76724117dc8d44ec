using Microsoft.ML.OnnxRuntime.Tensors;

namespace ArtGallery.Engines.Studio.Melody;

/// <summary>
/// The melody LSTM (models/melody-lstm.onnx, trained by models/training/melody/train.py) run one
/// sixteenth at a time, its recurrent state passed in and out explicitly, and sampled by
/// <see cref="MelodySampler"/>.
/// </summary>
public sealed class MelodyGenerator : CatalogModelEngine
{
    public const string ModelId = "melody-lstm";

    public MelodyGenerator(IOptions<EngineOptions> options, ILogger<MelodyGenerator> logger)
        : base("melody", "Melody generator", ModelId, options, logger)
    {
        (Layers, Hidden) = RecurrentState.Shape(Session);
    }

    public int Layers { get; }

    public int Hidden { get; }

    /// <summary>Composes <see cref="MelodyRequest.Bars"/> bars; the same request and seed give the same melody.</summary>
    public Melody Compose(MelodyRequest request)
    {
        ThrowIfInvalid(request);
        var session = EnsureAvailable();
        var random = new Random(request.Seed);
        var allowed = MelodySampler.AllowedEvents(request.Key, request.LowPitch, request.HighPitch);
        var firstNote = (bool[])allowed.Clone();
        firstNote[MelodyEvents.Hold] = firstNote[MelodyEvents.Rest] = false;
        var primer = request.Primer.Count > 0
            ? MelodyEvents.Encode(request.Primer, request.StepsPerBar).Events
            : [];
        var primerSteps = primer.Length;
        var events = new int[request.TotalSteps];
        var state = new RecurrentState(Layers, Hidden);

        // The model reads a rest before step 0, then each event in turn; it predicts the event of the next step.
        var previous = MelodyEvents.Rest;
        for (var step = 0; step < events.Length; step++)
        {
            var logits = Step(session, previous, MelodyEvents.PositionOf(step, request.StepsPerBar), state);
            int next;
            if (step < primerSteps)
            {
                next = primer[step];
            }
            else if (step == 0 && request.Key is { } key)
            {
                // A keyed melody opens on its tonic, which is what makes a minor key heard as minor.
                next = MelodyEvents.NoteOn(Math.Clamp(key.NearestTonic((request.LowPitch + request.HighPitch) / 2), request.LowPitch, request.HighPitch));
            }
            else
            {
                next = MelodySampler.Sample(logits, step == 0 ? firstNote : allowed, request.Temperature, request.TopK, random);
            }

            events[step] = next;
            previous = next;
        }

        return new Melody(request, events, MelodyEvents.Decode(events), primerSteps);
    }

    /// <summary>Logits for every step of <paramref name="sequence"/> after the first (one pass over the sequence): row t predicts event t+1.</summary>
    public float[] SequenceLogits(MelodyEventSequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var steps = sequence.Length - 1;
        if (steps < 1)
        {
            return [];
        }

        var positions = Enumerable.Range(1, steps).Select(t => MelodyEvents.PositionOf(t, sequence.StepsPerBar)).ToList();
        return RunSteps(sequence.Events[..steps], positions, oneStepAtATime: false).Logits;
    }

    /// <summary>Runs the model on raw inputs with zero initial state (the parity test's entry).</summary>
    public (float[] Logits, float[] H, float[] C) RunSteps(IReadOnlyList<int> events, IReadOnlyList<int> positions, bool oneStepAtATime)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(positions);
        var session = EnsureAvailable();
        var state = new RecurrentState(Layers, Hidden);
        if (oneStepAtATime)
        {
            var all = new List<float>();
            for (var t = 0; t < events.Count; t++)
            {
                all.AddRange(Step(session, events[t], positions[t], state));
            }

            return ([.. all], state.H, state.C);
        }

        var e = new DenseTensor<long>([1, events.Count]);
        var p = new DenseTensor<long>([1, events.Count]);
        for (var t = 0; t < events.Count; t++)
        {
            (e[0, t], p[0, t]) = (events[t], positions[t]);
        }

        var logits = Run(session, e, p, state);
        return (logits, state.H, state.C);
    }

    private static float[] Step(InferenceSession session, int ev, int position, RecurrentState state)
    {
        var events = new DenseTensor<long>(new long[] { ev }, [1, 1]);
        var positions = new DenseTensor<long>(new long[] { position }, [1, 1]);
        return Run(session, events, positions, state);
    }

    private static float[] Run(InferenceSession session, DenseTensor<long> events, DenseTensor<long> positions, RecurrentState state) =>
        state.Run(session, NamedOnnxValue.CreateFromTensor("events", events), NamedOnnxValue.CreateFromTensor("positions", positions));

    private InferenceSession EnsureAvailable() => RequireSession("the melody model");
}
