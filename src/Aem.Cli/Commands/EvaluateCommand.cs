using System.CommandLine;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Cli.Terminal;
using Aem.Evaluation;
using Aem.Model;
using Aem.Runs;

namespace Aem.Cli.Commands;

/// <summary><c>aem evaluate</c>: test log-likelihood of a checkpoint (AEM and proposal), mean ± 2 SE, as JSON and Markdown.</summary>
internal sealed class EvaluateCommand
{
    private readonly CliContext context;
    private readonly Option<string> checkpoint = CheckpointOptions.Create();
    private readonly Option<string> split = new("--split") { Description = "Which split to score: test, validation or train.", DefaultValueFactory = _ => "test" };
    private readonly Option<int> samples = new("--samples", "-S")
    {
        Description = "Importance samples S per conditional (the paper: 20,000). Never compare scores obtained with different S.",
        DefaultValueFactory = _ => 20_000,
    };
    private readonly Option<string> normalizer = NormalizerOptions.ForScoring();
    private readonly Option<long?> maxPoints = new("--max-points") { Description = "Score a seeded random subset of at most N points (default: all).", HelpName = "N" };
    private readonly Option<bool> kde = new("--kde")
    {
        Description = "Also score AEM-KDE, the paper's normalised approximation (§4.3), with its bandwidth and proposal weight chosen on validation points.",
    };
    private readonly Option<long> kdeValidationPoints = new("--kde-validation-points")
    {
        Description = "Validation points (a seeded random subset) for choosing the AEM-KDE settings.",
        DefaultValueFactory = _ => 1000,
        HelpName = "N",
    };
    private readonly Option<int?> kdeSamples = new("--kde-samples") { Description = "Importance samples per conditional while choosing the AEM-KDE settings (default: --samples).", HelpName = "S" };
    private readonly Option<string?> shard = ShardOption.Create("evaluation.shard-I-of-N.aemshard into --out");
    private readonly CommonOptions common;
    private readonly DataOptions data;

    private EvaluateCommand(CliContext context, Command command)
    {
        this.context = context;
        foreach (var option in new Option[] { checkpoint, split, samples, normalizer, maxPoints, kde, kdeValidationPoints, kdeSamples, shard }) command.Add(option);
        common = CommonOptions.AddTo(command, "Folder for evaluation.json and evaluation.md (default: the run folder).");
        data = DataOptions.AddTo(command);
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("evaluate", "Estimate the test log-likelihood of a trained AEM and of its proposal (mean ± 2 standard errors) " +
            "and write evaluation.json and evaluation.md.");
        var handler = new EvaluateCommand(context, command);
        command.SetAction(handler.Run);
        return command;
    }

    private int Run(ParseResult result)
    {
        UnusedOptions.Refuse(result, kdeValidationPoints, result.GetValue(kde), "goes with --kde.");
        UnusedOptions.Refuse(result, kdeSamples, result.GetValue(kde), "goes with --kde.");
        int s = result.GetValue(samples);
        if (s < 1) throw new UsageException($"--samples must be at least 1 (got {s}).");
        var estimator = NormalizerOptions.Parse(result.GetValue(normalizer)!);
        if (result.GetValue(kde) && estimator != NormalizerEstimator.Iid) throw new UsageException("--kde scores with independent samples only: it goes with --normalizer iid.");
        if (result.GetValue(maxPoints) is < 1) throw new UsageException($"--max-points must be at least 1 (got {result.GetValue(maxPoints)}).");
        if (result.GetValue(kde) && result.GetValue(kdeValidationPoints) < 1) throw new UsageException($"--kde-validation-points must be at least 1 (got {result.GetValue(kdeValidationPoints)}).");
        if (result.GetValue(kdeSamples) is < 1) throw new UsageException($"--kde-samples must be at least 1 (got {result.GetValue(kdeSamples)}).");
        var part = ShardOption.Parse(result, shard);
        var (device, _) = common.ApplyRuntime(result);
        long seed = result.GetValue(common.Seed);
        var run = SavedRun.Open(result.GetValue(checkpoint)!);
        var request = data.ForRun(result, run, seed);
        var evaluation = new RunEvaluationRequest
        {
            Data = request,
            Split = ParseSplit(result.GetValue(split)!),
            Options = new TestEvaluationOptions
            {
                Samples = s,
                Normalizer = estimator,
                MaxPoints = result.GetValue(maxPoints),
                Seed = seed,
                Kde = result.GetValue(kde),
                KdeValidationPoints = result.GetValue(kdeValidationPoints),
                KdeSelectionSamples = result.GetValue(kdeSamples),
            },
        };
        if (part is not null) return RunShard(result, run, evaluation, part, device, s);
        RunEvaluationReport report;
        using (var progress = new EvaluationProgressPrinter(context, s))
        {
            report = RunEvaluation.Evaluate(run, evaluation, device, progress);
        }
        using var folder = OutputFolder.Open(result.GetValue(common.Out) ?? run.ResultsFolder);
        EvaluationFiles.Save(report, folder.Path);
        folder.Keep();
        EvaluationFiles.Print(context.Out, report);
        context.Out.WriteLine($"wrote {folder.File(EvaluationFiles.JsonFile)} and {folder.File(EvaluationFiles.MarkdownFile)}");
        return Cli.Ok;
    }

    /// <summary>Scores one shard and writes its file for <c>aem merge</c>.</summary>
    private int RunShard(ParseResult result, SavedRun run, RunEvaluationRequest evaluation, Aem.Evaluation.Shard part, TorchSharp.torch.Device device, int s)
    {
        ShardResult scored;
        using (var progress = new EvaluationProgressPrinter(context, s))
        {
            scored = RunEvaluation.EvaluateShard(run, evaluation, part, device, progress);
        }
        using var folder = OutputFolder.Open(result.GetValue(common.Out) ?? run.ResultsFolder);
        string file = folder.File(ShardFile.NameFor(EvaluationFiles.Stem, part));
        AtomicFile.Write(file, temporary => ShardFile.Write(temporary, scored));
        folder.Keep();
        context.Out.WriteLine($"shard {part}: scored {scored.Points.Scores.Count:N0} of {scored.Points.TotalPoints:N0} points; wrote {file}");
        context.Out.WriteLine($"when all {part.Count} shards are done: aem merge {folder.File(EvaluationFiles.Stem)}.shard-*-of-{part.Count}{ShardFile.Extension}");
        return Cli.Ok;
    }

    private static DataSplit ParseSplit(string split) => split.ToLowerInvariant() switch
    {
        "test" => DataSplit.Test,
        "validation" or "val" => DataSplit.Validation,
        "train" => DataSplit.Train,
        _ => throw new UsageException($"--split must be test, validation or train, not '{split}'."),
    };
}
