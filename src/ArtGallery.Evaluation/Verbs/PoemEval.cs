using System.IO.Compression;
using System.Text.Json;
using ArtGallery.Core.Studio.Poetry;
using ArtGallery.Engines.Studio.Poetry;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>eval poems</c>: the poem model on the hashed 5% held-out poems against an interpolated
/// Kneser-Ney n-gram model trained on the other 95%, same tokens; statistics of sampled poems; and
/// whether keywords steer it (TF-IDF ranking). <c>bench poem</c>: a 12-line poem vs one encoder pass.
/// </summary>
internal static class PoemEval
{
    /// <summary>The training recipe's --max-body: each poem is cut at this many tokens.</summary>
    public const int MaxBody = 160;

    public static Command Create(HostStarter cli)
    {
        var data = new Option<FileInfo>("--data") { Description = "poems.jsonl.gz (id, author, title, text per line).", Required = true };
        var order = new Option<int>("--order") { Description = "n-gram order of the Kneser-Ney baseline.", DefaultValueFactory = _ => 4 };
        var condPoems = new Option<int>("--cond-poems") { Description = "Held-out poems whose keywords are written from and ranked.", DefaultValueFactory = _ => 200 };
        var command = new Command("poems", "Held-out perplexity vs a Kneser-Ney n-gram model; distinct-2, repeated lines, line length; keyword conditioning top-1/top-10.") { data, order, condPoems };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(data)!;
            if (!file.Exists)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{file.FullName} does not exist[/]");
                return 2;
            }

            using var host = await cli.StartAsync(ct);
            if (EngineCheck.Ready<PoemGenerator>(host.Services, "poem model") is not { } generator)
            {
                return 1;
            }

            var watch = Stopwatch.StartNew();
            var vocabulary = generator.Vocabulary;
            var train = new List<int[]>();
            var heldOut = new List<(int[] Ids, List<string> Body, List<string> Lines)>();
            foreach (var (id, text) in Read(file.FullName))
            {
                var tokens = PoemVocabulary.Tokenize(text);
                var body = tokens.Take(MaxBody).ToList();
                int[] ids = [.. GeneratorPrefix(), .. vocabulary.Encode(body), .. tokens.Count <= MaxBody ? [PoemVocabulary.Eos] : Array.Empty<int>()];
                if (PoemMetrics.IsHeldOut(id))
                {
                    heldOut.Add((ids, body, PoemText.Lines(body)));
                }
                else
                {
                    train.Add(ids);
                }
            }

            var ngram = KneserNeyModel.Train(train, parse.GetValue(order), vocabulary.Count);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"poems: {train.Count} train, {heldOut.Count} held out (FNV-1a of id mod 100 < 5), each cut at {MaxBody} tokens; vocabulary {vocabulary.Count}; {ngram.Order}-gram KN discounts {string.Join('/', ngram.Discounts.Skip(1).Select(d => d.ToString("0.00", CultureInfo.InvariantCulture)))}; {watch.Elapsed.TotalSeconds:0} s"));

            // Perplexity per body token (and <eos>), both models reading the same empty-keyword prefix.
            double lstmNll = 0, ngramNll = 0;
            long count = 0;
            var skip = GeneratorPrefix().Length - 1;
            foreach (var (ids, _, _) in heldOut)
            {
                var logProbs = generator.TokenLogProbabilities(ids);
                for (var t = skip; t < logProbs.Length; t++)
                {
                    lstmNll -= logProbs[t];
                    ngramNll -= ngram.LogProbability(ids.AsSpan(0, t + 1), ids[t + 1]);
                    count++;
                }
            }

            var ppl = Math.Exp(lstmNll / count);
            var ngramPpl = Math.Exp(ngramNll / count);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"held-out perplexity per token over {count:N0} tokens of {heldOut.Count} poems: LSTM {generator.Layers}x{generator.Hidden} {ppl:0.0}, interpolated KN {ngram.Order}-gram {ngramPpl:0.0}; {watch.Elapsed.TotalSeconds:0} s"));

            // Does the model read keywords? The same body tokens given each poem's own 5 keywords (prefix,
            // and the keyword input where the model has one) and given the next poem's keywords.
            double OwnOrOther(int shift)
            {
                double nll = 0;
                long n = 0;
                for (var i = 0; i < heldOut.Count; i++)
                {
                    var (ids, _, _) = heldOut[i];
                    var keywordIds = Keywords(heldOut[(i + shift) % heldOut.Count].Body, vocabulary).Select(vocabulary.Id).ToArray();
                    int[] withKeywords = [.. PoemGenerator.Prefix(keywordIds), .. ids.AsSpan(GeneratorPrefix().Length)];
                    var logProbs = generator.TokenLogProbabilities(withKeywords, keywordIds);
                    for (var t = PoemGenerator.Prefix(keywordIds).Length - 1; t < logProbs.Length; t++)
                    {
                        nll -= logProbs[t];
                        n++;
                    }
                }

                return Math.Exp(nll / n);
            }

            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"LSTM perplexity of the same tokens given each poem's own 5 keywords {OwnOrOther(0):0.0}, given the next poem's {OwnOrOther(1):0.0} (keyword input: {(generator.ReadsKeywordInput ? "yes" : "prefix only")}); {watch.Elapsed.TotalSeconds:0} s"));

            // Conditioning: the first n held-out poems with 3+ keywords, written from their own keywords.
            var n = Math.Max(2, parse.GetValue(condPoems));
            var chosen = heldOut.Select(p => (p, Keywords: Keywords(p.Body, vocabulary))).Where(x => x.Keywords.Count >= 3).Take(n).ToList();
            var sets = chosen.Select(c => (IReadOnlyList<string>)c.Keywords).ToList();
            (List<IReadOnlyList<string>> Samples, double Top1, double Top10) Condition(float boost)
            {
                var written = chosen.Select((c, i) => generator.Write(new PoemRequest { Keywords = c.Keywords, Lines = 12, Seed = i + 1, KeywordBoost = boost }).Lines).ToList();
                var ranks = PoemMetrics.KeywordRanks(written, sets);
                return (written, ranks.Count(r => r == 1) / (double)ranks.Length, ranks.Count(r => r <= 10) / (double)ranks.Length);
            }

            var modelOnly = Condition(0);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model alone (keyword boost 0): cond_top1={modelOnly.Top1:0.000} cond_top10={modelOnly.Top10:0.000}"));
            var (samples, top1, top10) = Condition(new PoemRequest().KeywordBoost);
            var hundred = samples.Take(100).ToList();
            var corpus = heldOut.Select(p => (IReadOnlyList<string>)p.Lines).ToList();
            var distinct2 = PoemMetrics.Distinct2(hundred);
            var table = new Table().AddColumns("statistic", $"{hundred.Count} samples (12 lines, free verse, T 0.8, top-k 40, top-p 0.92)", $"{corpus.Count} held-out poems (first {MaxBody} tokens)");
            table.AddRow("distinct-2", F(distinct2), F(PoemMetrics.Distinct2(corpus.Take(100))) + " (first 100)");
            table.AddRow("repeated-line rate", F(PoemMetrics.RepeatedLineRate(hundred)), F(PoemMetrics.RepeatedLineRate(corpus)));
            table.AddRow("mean words per line", F(PoemMetrics.MeanLineWords(hundred)), F(PoemMetrics.MeanLineWords(corpus)));
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"conditioning: {chosen.Count} held-out poems, each written from its 5 most frequent content words (seed = its index + 1, the engine's default keyword boost {new PoemRequest().KeywordBoost}), keyword sets ranked by TF-IDF cosine; chance top-1 {1.0 / chosen.Count:0.000}, top-10 {Math.Min(1, 10.0 / chosen.Count):0.000}; {watch.Elapsed.TotalSeconds:0} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cond_top1={top1:0.000} cond_top10={top10:0.000}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ppl={ppl:0.0} ngram_ppl={ngramPpl:0.0} distinct2={distinct2:0.00}"));
            return 0;
        });
        return command;
    }

    /// <summary><c>bench poem</c>: writing a 12-line poem against one StyleEncoder forward pass, same run.</summary>
    public static Command Bench(HostStarter cli)
    {
        var request = new PoemRequest { Keywords = ["sea", "evening", "blue", "light"], Lines = 12 };
        return GeneratorBench.Create("poem", "Write a 12-line poem vs one style-encoder forward pass (batch of 1), alternating, medians.", (rounds, ct) =>
        {
            var tokens = 0;
            return GeneratorBench.RunAsync<PoemGenerator>(cli, "poem", rounds,
                (generator, round) =>
                {
                    // The warm-up's tokens are not timed, so not counted.
                    if (round is { } r)
                    {
                        tokens += generator.Write(request with { Seed = r }).Tokens.Count;
                    }
                    else
                    {
                        generator.Write(request);
                    }
                },
                (generator, encoder, poemMs, forwardMs) =>
                {
                    AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"poem on {generator.Provider}, encoder on {encoder.Provider}; {poemMs.Count} alternating rounds, 12 lines = {tokens / (double)poemMs.Count:0} model steps on average"));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"poem12_ms={Timing.Median(poemMs):0.0} forward_ms={Timing.Median(forwardMs):0.0}"));
                }, ct);
        });
    }

    /// <summary>A held-out poem's keywords: its 5 most frequent content words the model knows (ties: first used).</summary>
    internal static List<string> Keywords(List<string> body, PoemVocabulary vocabulary) =>
        body.Where(t => PoemVocabulary.IsContentWord(t) && vocabulary.Contains(t))
            .Select((t, i) => (t, i)).GroupBy(x => x.t, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.First().i).Take(5).Select(g => g.Key).ToList();

    private static int[] GeneratorPrefix() => PoemGenerator.Prefix([]);

    private static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);

    private static IEnumerable<(long Id, string Text)> Read(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            yield return (doc.RootElement.GetProperty("id").GetInt64(), doc.RootElement.GetProperty("text").GetString() ?? string.Empty);
        }
    }
}
