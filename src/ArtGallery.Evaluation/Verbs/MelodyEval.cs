using ArtGallery.Engines.Studio.Melody;

namespace ArtGallery.Evaluation.Verbs;

/// <summary>
/// <c>eval music</c>: the melody model on the held-out tunes of a MIDI folder (the hashed split that
/// training did not use) against unigram and bigram baselines fitted on the training tunes, plus
/// statistics of sampled melodies; and <c>bench melody</c>.
/// </summary>
internal static class MelodyEval
{
    private static readonly double[] BigramAlphas = [0.01, 0.1, 1.0];

    public static Command Create(HostStarter cli)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder of .mid files.", Required = true };
        var samples = new Option<int>("--samples") { Description = "Melodies sampled per statistic.", DefaultValueFactory = _ => 24 };
        var command = new Command("music", "Held-out NLL per event vs unigram and bigram baselines; in-key share and pitch statistics of samples.") { data, samples };
        command.SetAction(async (parse, ct) =>
        {
            IReadOnlyList<CorpusTune> tunes;
            try
            {
                tunes = MelodyCorpus.ReadFolder(parse.GetValue(data)!.FullName);
            }
            catch (DirectoryNotFoundException ex)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{ex.Message}[/]");
                return 2;
            }

            var train = tunes.Where(t => !t.HeldOut).Select(t => t.Melody).ToList();
            var heldOut = tunes.Where(t => t.HeldOut).Select(t => t.Melody).ToList();
            if (train.Count == 0 || heldOut.Count == 0)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]need tunes on both sides of the split (train {train.Count}, held-out {heldOut.Count})[/]");
                return 1;
            }

            using var host = await cli.StartAsync(ct);
            if (EngineCheck.Ready<MelodyGenerator>(host.Services, "melody model") is not { } generator)
            {
                return 1;
            }

            var unigram = EventBaselines.Unigram(train);
            var unigramNll = EventBaselines.Nll(heldOut, (_, next) => unigram[next]);
            var bigramNll = BigramAlphas.Min(alpha =>
            {
                var bigram = EventBaselines.Bigram(train, alpha);
                return EventBaselines.Nll(heldOut, (prev, next) => bigram[prev, next]);
            });

            double total = 0;
            long count = 0;
            foreach (var tune in heldOut)
            {
                var logits = generator.SequenceLogits(tune);
                for (var t = 0; t + 1 < tune.Length; t++)
                {
                    total -= MelodySampler.LogProbability(logits.AsSpan(t * MelodyEvents.VocabularySize, MelodyEvents.VocabularySize), tune.Events[t + 1]);
                    count++;
                }
            }

            var nll = total / count;
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tunes: {train.Count} train, {heldOut.Count} held out ({count:N0} held-out events); model {generator.Layers}x{generator.Hidden} LSTM on {generator.Provider}"));
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"held-out NLL per event (nats): model {nll:0.000}, bigram {bigramNll:0.000} (best add-alpha of {string.Join('/', BigramAlphas)}), unigram {unigramNll:0.000}"));

            var n = Math.Max(1, parse.GetValue(samples));
            MusicalKey[] keys = [new(0, MelodyMode.Major), new(9, MelodyMode.Minor), new(2, MelodyMode.Dorian), new(7, MelodyMode.Major), new(4, MelodyMode.Minor), new(5, MelodyMode.Mixolydian)];
            int keyed = 0, inKey = 0;
            var free = new List<IReadOnlyList<MelodyNote>>();
            for (var i = 0; i < n; i++)
            {
                var baseRequest = new MelodyRequest { Bars = 16, Seed = 1000 + i, Temperature = 1.0, LowPitch = MelodyEvents.MinPitch, HighPitch = MelodyEvents.MaxPitch };
                var key = keys[i % keys.Length];
                var melody = generator.Compose(baseRequest with { Key = key });
                var sampled = melody.Notes.Skip(1).ToList(); // the first note is the tonic, placed not sampled
                keyed += sampled.Count;
                inKey += sampled.Count(x => key.Contains(x.Pitch));
                free.Add(generator.Compose(baseRequest).Notes);
            }

            var inKeyShare = inKey / (double)Math.Max(1, keyed);
            var corpus = heldOut.Select(t => MelodyEvents.Decode(t.Events.AsSpan(0, Math.Min(t.Length, 16 * t.StepsPerBar)))).ToList();
            var table = new Table().AddColumns("statistic (16 bars)", "samples, no key", "held-out tunes");
            void Row(string name, Func<IReadOnlyList<MelodyNote>, double> stat) =>
                table.AddRow(name, free.Average(stat).ToString("0.00", CultureInfo.InvariantCulture), corpus.Average(stat).ToString("0.00", CultureInfo.InvariantCulture));
            Row("pitch range (semitones)", MelodyStatistics.PitchRange);
            Row("distinct pitches", MelodyStatistics.DistinctPitches);
            Row("mean |interval| (semitones)", MelodyStatistics.MeanInterval);
            Row("repeated-pitch share", MelodyStatistics.RepeatedPitchShare);
            Row("repeated 4-note patterns share", MelodyStatistics.RepeatedPatternShare);
            Row("notes per bar", notes => notes.Count / 16.0);
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"keyed samples: {keyed} sampled notes over {n} melodies in {keys.Length} keys, {inKeyShare:P1} in key"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nll={nll:0.000} bigram_nll={bigramNll:0.000} unigram_nll={unigramNll:0.000} in_key={inKeyShare:0.000}"));
            return 0;
        });
        return command;
    }

    /// <summary><c>bench melody</c>: composing 16 bars against one StyleEncoder forward pass, same run.</summary>
    public static Command Bench(HostStarter cli)
    {
        var request = new MelodyRequest { Bars = 16, Key = new MusicalKey(2, MelodyMode.Major), TopK = 12 };
        return GeneratorBench.Create("melody", "Compose 16 bars vs one style-encoder forward pass (batch of 1), alternating, medians.", (rounds, ct) =>
            GeneratorBench.RunAsync<MelodyGenerator>(cli, "melody", rounds,
                (generator, round) => generator.Compose(round is { } r ? request with { Seed = r } : request),
                (generator, encoder, melodyMs, forwardMs) =>
                {
                    AnsiConsole.WriteLine($"melody on {generator.Provider}, encoder on {encoder.Provider}; {melodyMs.Count} alternating rounds, 16 bars = {request.TotalSteps} model steps");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"melody16_ms={Timing.Median(melodyMs):0.0} forward_ms={Timing.Median(forwardMs):0.0}"));
                }, ct));
    }
}
