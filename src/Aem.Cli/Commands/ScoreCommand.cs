using System.CommandLine;
using System.Diagnostics;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Data;
using Aem.Evaluation;
using Aem.Runs;

namespace Aem.Cli.Commands;

/// <summary><c>aem score</c>: the log-likelihood of every row of a file under a trained run, in the file's units, streamed to CSV or .npy.</summary>
internal sealed class ScoreCommand
{
    private readonly CliContext context;
    private readonly Option<string> checkpoint = CheckpointOptions.Create();
    private readonly Option<string> input = new("--data") { Description = "The rows to score: .npy, or CSV / whitespace-separated text (header optional), with the run's columns.", HelpName = "FILE", Required = true };
    private readonly Option<string> output = new("--output") { Description = "Where to write one line per row: .csv (row,log_likelihood,log_proposal,min_ess) or .npy.", HelpName = "FILE", Required = true };
    private readonly Option<int> samples = new("--samples", "-S")
    {
        Description = "Importance samples S per conditional. Scores are comparable only at the same S; `aem evaluate` with the same S and seed gives the same numbers.",
        DefaultValueFactory = _ => 1000,
    };
    private readonly Option<string> normalizer = NormalizerOptions.ForScoring();
    private readonly Option<int?> top = new("--top") { Description = "Also print the N least likely rows, with their values (anomaly detection).", HelpName = "N" };
    private readonly Option<string?> shard = ShardOption.Create("OUTPUT-STEM.shard-I-of-N.aemshard beside --output (`aem merge` then writes --output)");
    private readonly CommonOptions common;
    private readonly ContextOptions contextOptions;

    private ScoreCommand(CliContext context, Command command)
    {
        this.context = context;
        foreach (var option in new Option[] { checkpoint, input, output, samples, normalizer, top, shard }) command.Add(option);
        contextOptions = ContextOptions.AddTo(command);
        common = CommonOptions.AddTo(command, "", withOut: false);
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("score", "Score every row of a CSV or .npy file under a trained AEM: its log-likelihood in the file's own units, the proposal's, " +
            "and the smallest importance-sampling effective sample size over the row's conditionals (low values flag scores to distrust). Rows stay in input order.");
        var handler = new ScoreCommand(context, command);
        command.SetAction(handler.Run);
        return command;
    }

    private int Run(ParseResult result)
    {
        int s = result.GetValue(samples);
        if (s < 1) throw new UsageException($"--samples must be at least 1 (got {s}).");
        var estimator = NormalizerOptions.Parse(result.GetValue(normalizer)!);
        if (result.GetValue(top) is < 1) throw new UsageException($"--top must be at least 1 (got {result.GetValue(top)}).");
        var part = ShardOption.Parse(result, shard);
        UnusedOptions.Refuse(result, top, part is null, "goes with a whole scoring, not with --shard (sort the merged file instead).");
        string target = result.GetValue(output)!;
        OutputFolder.RequireParent(target, "--output");
        ScoreFile.CheckFormat(target);
        var (device, threads) = common.ApplyRuntime(result);
        var run = SavedRun.Open(result.GetValue(checkpoint)!);
        // A conditional run's context: as named here, else the columns the run learned it from.
        var contextColumns = contextOptions.GivenColumns(result)
            ?? (result.GetValue(contextOptions.File) is null && run.File.Model.ConditioningFeatures > 0 ? run.File.Data?.ContextColumns : null);
        using var reader = TableReader.Open(result.GetValue(input)!);
        using var contextReader = result.GetValue(contextOptions.File) is { } contextFile ? TableReader.Open(contextFile) : null;
        using var model = run.LoadModel(device);
        var units = ScoreUnits.For(null, run.File.Standardizer);
        context.Out.WriteLine($"scoring {reader.Source} under {run.Checkpoint} (S = {s:N0}, {NormalizerOptions.Name(estimator)} samples, {threads} thread(s); log-likelihoods in {units.Description})");
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        void ShowProgress()
        {
            if (clock.Elapsed - lastReport <= TimeSpan.FromSeconds(context.Interactive ? 0.5 : 15)) return;
            lastReport = clock.Elapsed;
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds * (1 - reader.FractionRead) / Math.Max(reader.FractionRead, 1e-9));
            context.Out.WriteLine($"  {Plural.Of(reader.RowsRead, "row")} ({reader.FractionRead:P0} of the file)  ETA {Durations.Format(eta)}");
        }
        if (part is not null)
        {
            var scored = RunScoring.ScoreShard(run, model, reader, s, result.GetValue(common.Seed), part, contextColumns, contextReader, _ => ShowProgress(), estimator, context.Stop.Token);
            scored = scored with { Header = scored.Header with { Output = Path.GetFileName(target) } };
            string file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, ShardFile.NameFor(Path.GetFileNameWithoutExtension(target), part));
            AtomicFile.Write(file, temporary => ShardFile.Write(temporary, scored));
            context.Out.WriteLine($"shard {part}: scored {scored.Points.Scores.Count:N0} of {Plural.Of(reader.RowsRead, "row")} in {Durations.Format(clock.Elapsed)}; wrote {file}");
            context.Out.WriteLine($"when all {part.Count} shards are done: aem merge {file.Replace(part.FileTag, $"shard-*-of-{part.Count}", StringComparison.Ordinal)}");
            return Cli.Ok;
        }
        var least = result.GetValue(top) is { } n ? new LeastLikelyRows(n) : null;
        var ess = new EffectiveSampleSizeTally(s);
        var means = new Means();
        AtomicFile.Write(target, temporary =>
        {
            using var file = ScoreFile.Create(temporary, run.File.Baseline is not null);
            foreach (var block in RunScoring.Score(run, model, reader, s, result.GetValue(common.Seed), Shard.Whole, contextColumns, contextReader, estimator, context.Stop.Token))
            {
                file.Write(block);
                least?.Add(block);
                ess.Add(block.Scores.MinEffectiveSampleSize);
                means.Add(block);
                ShowProgress();
            }
            file.Complete();
        });
        context.Out.WriteLine($"wrote {Plural.Of(reader.RowsRead, "row")} to {Path.GetFullPath(target)} in {Durations.Format(clock.Elapsed)}");
        means.Print(context);
        if (ess.Summary() is { Unreliable: true } summary)
        {
            context.Error.WriteLine($"aem: warning: {summary.ShareBelow:P1} of the rows have a conditional whose normaliser rests on fewer than {summary.Threshold:G3} effective samples " +
                $"(smallest {summary.Min:G3}); their scores are unreliable: use a larger --samples, and see the min_ess column.");
        }
        least?.Print(context.Out, reader.ColumnNames ?? run.File.ColumnNames);
        return Cli.Ok;
    }

    /// <summary>The file's mean log-likelihoods under the AEM, its proposal and the Gaussian baseline.</summary>
    private sealed class Means
    {
        private double aem, proposal, gaussian;
        private long rows, outside;
        private bool hasGaussian = true;

        public void Add(ScoredBlock block)
        {
            aem += block.Scores.LogDensity.Sum();
            proposal += block.Scores.LogProposal.Sum();
            if (block.Gaussian is { } g) gaussian += g.Sum();
            else hasGaussian = false;
            rows += block.Scores.Count;
            outside += block.Scores.LogProposal.LongCount(double.IsNegativeInfinity);
        }

        public void Print(CliContext context)
        {
            if (rows == 0) return;
            string baseline = hasGaussian ? $", full-covariance Gaussian {gaussian / rows:0.0000}" : "";
            context.Out.WriteLine($"mean log-likelihood over the file: AEM {aem / rows:0.0000}, proposal {proposal / rows:0.0000}{baseline}");
            if (outside > 0)
            {
                context.Error.WriteLine($"aem: warning: {outside:N0} of the {Plural.Of(rows, "row")} lie outside the uniform proposal's support, where the model's density is zero: their log-likelihood is -Infinity.");
            }
            if (hasGaussian && aem < gaussian) context.Error.WriteLine("aem: warning: on this file the AEM does not beat the full-covariance Gaussian baseline.");
        }
    }
}
