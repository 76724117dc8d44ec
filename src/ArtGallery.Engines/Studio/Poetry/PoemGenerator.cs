using Microsoft.ML.OnnxRuntime.Tensors;

namespace ArtGallery.Engines.Studio.Poetry;

/// <summary>
/// The poem LSTM (models/poem-lstm.onnx with models/poem-vocab.txt, trained by
/// models/training/poem/train.py) run one token at a time, its recurrent state passed in and out
/// explicitly. It reads &lt;bos&gt; &lt;kw&gt; keywords &lt;/kw&gt; and continues; a model exported with a
/// <c>keywords</c> input (ids, [1, n], &lt;pad&gt; for none) also gets the keyword ids beside every step,
/// which it turns into a keyword-bag vector that steers each step. The form's line lengths, stanzas and
/// rhymes are enforced by masking what it may sample.
/// </summary>
public sealed class PoemGenerator : CatalogModelEngine
{
    public const string ModelId = "poem-lstm";
    public const string VocabularyId = "poem-vocab";

    /// <summary>Subtracted from a content word's logit per earlier use in the poem, against loops.</summary>
    public const float RepetitionPenalty = 1.0f;

    private readonly bool[] _wordOrPunctuation = [];
    private readonly bool[] _punctuation = [];
    private readonly bool[] _content = [];
    private readonly string[] _rhymeKeys = [];
    private readonly bool[] _rhymeable = [];

    /// <summary>A line that later lines must rhyme with ends on a word with at least this many rhymes in the vocabulary.</summary>
    private const int MinRhymePartners = 3;

    public PoemGenerator(IOptions<EngineOptions> options, ILogger<PoemGenerator> logger)
        : base("poem", "Poem generator", ModelId, options, logger, companionId: VocabularyId)
    {
        if (Session is null)
        {
            return;
        }

        Vocabulary = PoemVocabulary.Load(CompanionPath);
        (Layers, Hidden) = RecurrentState.Shape(Session);
        ReadsKeywordInput = Session.InputMetadata.ContainsKey(KeywordsInput);
        var n = Vocabulary.Count;
        _wordOrPunctuation = new bool[n];
        _punctuation = new bool[n];
        _content = new bool[n];
        _rhymeKeys = Enumerable.Repeat(string.Empty, n).ToArray();
        for (var i = PoemVocabulary.SpecialCount; i < n; i++)
        {
            _wordOrPunctuation[i] = true;
            _punctuation[i] = !Vocabulary.IsWord[i];
            _content[i] = PoemVocabulary.IsContentWord(Vocabulary[i]);
            _rhymeKeys[i] = Vocabulary.IsWord[i] ? PoemText.RhymeKey(Vocabulary[i]) : string.Empty;
        }

        var sharing = _rhymeKeys.Where(k => k.Length >= 2).CountBy(k => k).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        _rhymeable = _rhymeKeys.Select(k => k.Length >= 2 && sharing[k] > MinRhymePartners).ToArray();
    }

    public int Layers { get; }

    /// <summary>Whether the model takes the keyword ids beside every step (a <c>keywords</c> input), not only as a prefix.</summary>
    public bool ReadsKeywordInput { get; }

    private const string KeywordsInput = "keywords";

    public int Hidden { get; }

    public PoemVocabulary Vocabulary { get; } = new(["<pad>", "<unk>", "<bos>", "<eos>", "<nl>", "<st>", "<kw>", "</kw>", "?"]);

    /// <summary>The ids the model reads before the poem: &lt;bos&gt; &lt;kw&gt; keywords &lt;/kw&gt;.</summary>
    public static int[] Prefix(IEnumerable<int> keywordIds) =>
        [PoemVocabulary.Bos, PoemVocabulary.KeywordsStart, .. keywordIds, PoemVocabulary.KeywordsEnd];

    /// <summary>The keywords the model can read: lower-cased words of its vocabulary, distinct, at most <see cref="PoemRequest.MaxKeywords"/>.</summary>
    public IReadOnlyList<string> UsableKeywords(IEnumerable<string> keywords) =>
        keywords.Select(k => k.Trim().ToLowerInvariant())
            .Where(k => Vocabulary.Contains(k) && Vocabulary.IsWord[Vocabulary.Id(k)])
            .Distinct(StringComparer.Ordinal).Take(PoemRequest.MaxKeywords).ToList();

    /// <summary>Writes a poem; the same request (seed included) gives the same poem.</summary>
    public Poem Write(PoemRequest request)
    {
        ThrowIfInvalid(request);
        var session = EnsureAvailable();
        var random = new Random(request.Seed);
        var keywords = UsableKeywords(request.Keywords);
        var state = new RecurrentState(Layers, Hidden);
        var keywordIds = keywords.Select(Vocabulary.Id).ToArray();
        var logits = LastRow(Run(session, Prefix(keywordIds), keywordIds, state));
        var uses = new int[Vocabulary.Count];
        var tokens = new List<string>();
        var lineEnds = new List<string>();
        var allowed = new bool[Vocabulary.Count];
        var line = new LineState();
        while (lineEnds.Count < request.Lines)
        {
            var rule = LineRule.For(request.Form, lineEnds);
            Mask(allowed, rule, line, lineEnds.Count, request.Form);
            for (var i = 0; i < logits.Length; i++)
            {
                if (uses[i] > 0 && _content[i])
                {
                    logits[i] -= RepetitionPenalty * uses[i];
                }
            }

            foreach (var k in keywordIds)
            {
                logits[k] += uses[k] == 0 ? request.KeywordBoost : 0;
            }

            var next = PoemSampler.Sample(logits, allowed, request.Temperature, request.TopK, request.TopP, random);
            uses[next]++;
            tokens.Add(Vocabulary[next]);
            line.Accept(next, Vocabulary, _punctuation);
            if (next == PoemVocabulary.NewLine)
            {
                lineEnds.Add(line.LastWord ?? string.Empty);
                line = new LineState { LinesInStanza = line.LinesInStanza + 1 };
                if (rule.StanzaSize > 0 && line.LinesInStanza == rule.StanzaSize && lineEnds.Count < request.Lines)
                {
                    // Fixed stanzas: the break is fed to the model, not sampled.
                    Run(session, [next], keywordIds, state);
                    next = PoemVocabulary.Stanza;
                    tokens.Add("<st>");
                    line = new LineState { AfterStanzaBreak = true };
                }
            }
            else if (next == PoemVocabulary.Stanza)
            {
                line = new LineState { AfterStanzaBreak = true };
            }

            logits = LastRow(Run(session, [next], keywordIds, state));
        }

        return new Poem(request, PoemText.Lines(tokens), keywords, tokens);
    }

    /// <summary>
    /// Natural-log probability of each token of <paramref name="ids"/> after the first, given those
    /// before it and <paramref name="keywordIds"/> on the keyword input (none by default; one pass, zero
    /// initial state).
    /// </summary>
    public double[] TokenLogProbabilities(IReadOnlyList<int> ids, IReadOnlyList<int>? keywordIds = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var session = EnsureAvailable();
        if (ids.Count < 2)
        {
            return [];
        }

        var logits = Run(session, ids.Take(ids.Count - 1).ToArray(), keywordIds ?? [], new RecurrentState(Layers, Hidden));
        var v = Vocabulary.Count;
        var result = new double[ids.Count - 1];
        for (var t = 0; t < result.Length; t++)
        {
            result[t] = Logits.LogSoftmaxAt(logits.AsSpan(t * v, v), ids[t + 1]);
        }

        return result;
    }

    /// <summary>Runs the model on raw ids and keyword-input ids with zero initial state (the parity test's entry).</summary>
    public (float[] Logits, float[] H, float[] C) RunSteps(IReadOnlyList<int> ids, IReadOnlyList<int> keywordIds, bool oneStepAtATime)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(keywordIds);
        var session = EnsureAvailable();
        var state = new RecurrentState(Layers, Hidden);
        if (!oneStepAtATime)
        {
            return (Run(session, [.. ids], keywordIds, state), state.H, state.C);
        }

        var all = new List<float>();
        foreach (var id in ids)
        {
            all.AddRange(Run(session, [id], keywordIds, state));
        }

        return ([.. all], state.H, state.C);
    }

    private void Mask(bool[] allowed, LineRule rule, LineState line, int linesDone, PoemForm form)
    {
        Array.Clear(allowed);
        if (line.Words == 0)
        {
            for (var i = 0; i < allowed.Length; i++)
            {
                allowed[i] = _wordOrPunctuation[i] && !_punctuation[i];
            }

            // Free verse: the model may open a new stanza, not at the start and not twice running.
            allowed[PoemVocabulary.Stanza] = form == PoemForm.FreeVerse && linesDone >= 2 && line.LinesInStanza >= 2 && !line.AfterStanzaBreak;
            return;
        }

        var rhymeNeeded = rule.RhymeWith is { Length: > 0 } target && HasRhyme(target);
        var rhymed = rhymeNeeded
            ? line.LastWord is { } last && PoemText.Rhymes(last, rule.RhymeWith!)
            : !rule.EndRhymeable || (line.LastWord is { } end && _rhymeable[Vocabulary.Id(end)]);
        var canEnd = line.Words >= rule.MinWords && rhymed;
        if ((rhymeNeeded || rule.EndRhymeable) && (line.Words == rule.MaxWords - 1 || (line.Words >= rule.MaxWords && !rhymed)))
        {
            // The line's last word slot must rhyme (or be rhymeable, for a line others will rhyme with): only
            // such words now. A line that already ends on one may also end here or take punctuation; any
            // other word would leave it unrhymed with no slot left (it used to run one word over).
            for (var i = 0; i < allowed.Length; i++)
            {
                allowed[i] = rhymeNeeded ? _rhymeKeys[i].Length >= 2 && PoemText.Rhymes(Vocabulary[i], rule.RhymeWith!) : _rhymeable[i];
            }

            if (rhymed)
            {
                for (var i = 0; i < allowed.Length && !line.LastWasPunctuation; i++)
                {
                    allowed[i] |= _punctuation[i];
                }

                allowed[PoemVocabulary.NewLine] = canEnd;
            }

            return;
        }

        if (line.Words < rule.MaxWords || !rhymed)
        {
            for (var i = 0; i < allowed.Length; i++)
            {
                allowed[i] = _wordOrPunctuation[i] && !(line.LastWasPunctuation && _punctuation[i]);
            }
        }
        else if (!line.LastWasPunctuation)
        {
            Array.Copy(_punctuation, allowed, allowed.Length);
        }

        allowed[PoemVocabulary.NewLine] = canEnd || (line.Words >= rule.MaxWords && !rhymeNeeded && !rule.EndRhymeable);
    }

    private bool HasRhyme(string target)
    {
        for (var i = PoemVocabulary.SpecialCount; i < _rhymeKeys.Length; i++)
        {
            if (_rhymeKeys[i].Length >= 2 && PoemText.Rhymes(Vocabulary[i], target))
            {
                return true;
            }
        }

        return false;
    }

    private float[] LastRow(float[] logits) => logits[^Vocabulary.Count..];

    private float[] Run(InferenceSession session, int[] ids, IReadOnlyList<int> keywordIds, RecurrentState state)
    {
        var tokens = new DenseTensor<long>([1, ids.Length]);
        for (var t = 0; t < ids.Length; t++)
        {
            tokens[0, t] = ids[t];
        }

        var input = NamedOnnxValue.CreateFromTensor("tokens", tokens);
        if (!ReadsKeywordInput)
        {
            return state.Run(session, input);
        }

        // At least one column: no keywords is a single <pad>, which the model masks out (a zero bag).
        var keywords = new DenseTensor<long>([1, Math.Max(1, keywordIds.Count)]);
        for (var k = 0; k < keywordIds.Count; k++)
        {
            keywords[0, k] = keywordIds[k];
        }

        return state.Run(session, input, NamedOnnxValue.CreateFromTensor(KeywordsInput, keywords));
    }

    private InferenceSession EnsureAvailable() => RequireSession("the poem model");

    /// <summary>Where the line being written stands.</summary>
    private sealed class LineState
    {
        public int Words { get; private set; }

        public string? LastWord { get; private set; }

        public bool LastWasPunctuation { get; private set; }

        public int LinesInStanza { get; init; }

        public bool AfterStanzaBreak { get; init; }

        public void Accept(int id, PoemVocabulary vocabulary, bool[] punctuation)
        {
            LastWasPunctuation = punctuation[id];
            if (vocabulary.IsWord[id])
            {
                Words++;
                LastWord = vocabulary[id];
            }
        }
    }

    /// <summary>The form's rule for the next line: word counts, stanza size and the word it must rhyme with.</summary>
    private readonly record struct LineRule(int MinWords, int MaxWords, int StanzaSize, string? RhymeWith, bool EndRhymeable = false)
    {
        public static LineRule For(PoemForm form, List<string> lineEnds)
        {
            var index = lineEnds.Count;
            return form switch
            {
                // ABAB: the third and fourth lines of each stanza rhyme with the first and second.
                PoemForm.RhymedQuatrains => index % 4 >= 2 ? new(4, 10, 4, lineEnds[index - 2]) : new(4, 10, 4, null, EndRhymeable: true),
                PoemForm.Tercets => index % 3 == 1 ? new(3, 7, 3, null) : new(2, 5, 3, null),
                _ => new(3, 12, 0, null),
            };
        }
    }
}
