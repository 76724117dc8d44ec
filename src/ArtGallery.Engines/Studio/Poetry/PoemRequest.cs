namespace ArtGallery.Engines.Studio.Poetry;

/// <summary>The shape a poem must keep, enforced while sampling.</summary>
public enum PoemForm
{
    /// <summary>Lines of 3 to 12 words; stanza breaks where the model puts them.</summary>
    FreeVerse,

    /// <summary>Four-line stanzas rhyming ABAB (by spelling).</summary>
    RhymedQuatrains,

    /// <summary>Three-line stanzas of short lines (2–5, 3–7, 2–5 words).</summary>
    Tercets,
}

/// <summary>What to write: keywords that steer the model, form, length and sampling settings.</summary>
public sealed record PoemRequest : IEngineRequest
{
    public const int MaxLines = 24;
    public const int MaxKeywords = 8;

    public IReadOnlyList<string> Keywords { get; init; } = [];

    public PoemForm Form { get; init; } = PoemForm.FreeVerse;

    /// <summary>Lines of verse, stanza breaks not counted.</summary>
    public int Lines { get; init; } = 12;

    public double Temperature { get; init; } = 0.8;

    /// <summary>Keep only the k likeliest tokens (0: no limit).</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Nucleus: keep the likeliest tokens whose probabilities add up to this (1: no limit).</summary>
    public double TopP { get; init; } = 0.92;

    public int Seed { get; init; } = 1;

    /// <summary>
    /// Added to a keyword's logit until the poem has used it (0: the model alone steers). The model is
    /// trained to take up its keywords; the boost makes the link to a work visible in a short poem.
    /// </summary>
    public float KeywordBoost { get; init; } = 4.0f;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Lines is < 1 or > MaxLines)
        {
            problems.Add($"lines must be between 1 and {MaxLines}");
        }

        if (Temperature is < PoemSampler.MinTemperature or > PoemSampler.MaxTemperature)
        {
            problems.Add($"temperature must be between {PoemSampler.MinTemperature} and {PoemSampler.MaxTemperature}");
        }

        if (TopK < 0)
        {
            problems.Add("top-k must be 0 or more");
        }

        if (TopP is <= 0 or > 1)
        {
            problems.Add("top-p must be above 0 and at most 1");
        }

        if (KeywordBoost is < 0 or > 10)
        {
            problems.Add("keyword boost must be between 0 and 10");
        }

        if (Keywords.Count > MaxKeywords)
        {
            problems.Add($"at most {MaxKeywords} keywords");
        }

        return problems;
    }
}

/// <summary>
/// A written poem: its lines (empty strings between stanzas), the keywords the model was given (only
/// those in its vocabulary) and the tokens it chose.
/// </summary>
public sealed record Poem(PoemRequest Request, IReadOnlyList<string> Lines, IReadOnlyList<string> UsedKeywords, IReadOnlyList<string> Tokens)
{
    public string Text => string.Join('\n', Lines);

    /// <summary>Lines of verse (stanza breaks not counted).</summary>
    public int VerseLineCount => Lines.Count(l => l.Length > 0);
}
