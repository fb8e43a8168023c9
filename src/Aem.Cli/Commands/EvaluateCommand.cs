using Aem.Evaluation;
using System.CommandLine;
using Aem.Checkpoints;
using Aem.Cli.Output;
using Aem.Cli.Running;
using Aem.Data;

namespace Aem.Cli.Commands;

/// <summary><c>aem evaluate</c>: test log-likelihood of a checkpoint (AEM and proposal), mean ± 2 SE, as JSON and Markdown.</summary>
public static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("evaluate", "Estimate the test log-likelihood of a trained AEM and of its proposal (mean ± 2 standard errors) " +
            "and write evaluation.json and evaluation.md.");
        var checkpoint = CheckpointOptions.Create();
        var split = new Option<string>("--split") { Description = "Which split to score: test, validation or train.", DefaultValueFactory = _ => "test" };
        var samples = new Option<int>("--samples", "-S")
        {
            Description = "Importance samples S per conditional (the paper: 20,000). Never compare scores obtained with different S.",
            DefaultValueFactory = _ => 20_000,
        };
        var maxPoints = new Option<long?>("--max-points") { Description = "Score a seeded random subset of at most N points (default: all).", HelpName = "N" };
        command.Add(checkpoint);
        command.Add(split);
        command.Add(samples);
        command.Add(maxPoints);
        var kde = new Option<bool>("--kde")
        {
            Description = "Also score AEM-KDE, the paper's normalised approximation (§4.3), with its bandwidth and proposal weight chosen on validation points.",
        };
        var kdeValidationPoints = new Option<long>("--kde-validation-points")
        {
            Description = "Validation points (a seeded random subset) for choosing the AEM-KDE settings.",
            DefaultValueFactory = _ => 1000,
            HelpName = "N",
        };
        var kdeSamples = new Option<int?>("--kde-samples") { Description = "Importance samples per conditional while choosing the AEM-KDE settings (default: --samples).", HelpName = "S" };
        command.Add(kde);
        command.Add(kdeValidationPoints);
        command.Add(kdeSamples);
        var common = CommonOptions.AddTo(command, "Folder for evaluation.json and evaluation.md (default: the run folder).");
        var data = DataOptions.AddTo(command);
        command.SetAction(result =>
        {
            var (device, _) = common.ApplyRuntime(result);
            long seed = result.GetValue(common.Seed);
            var location = CheckpointLocation.Resolve(result.GetValue(checkpoint)!);
            var manifest = Checkpoint.ReadManifest(location.Checkpoint);
            var spec = DataFor(result, data, location, seed);
            string splitName = result.GetValue(split)!;
            using var dataSet = CheckpointData.InModelUnits(spec, manifest, location.Checkpoint);
            var kdeSettings = result.GetValue(kde) ? new KdeSettings(result.GetValue(kdeValidationPoints), result.GetValue(kdeSamples)) : null;
            var evaluation = Evaluate(context, location, manifest, dataSet, spec, splitName, result.GetValue(samples), result.GetValue(maxPoints), seed, device, kdeSettings);
            using var folder = OutputFolder.Open(result.GetValue(common.Out) ?? location.DefaultOutput);
            evaluation.Save(folder.Path);
            folder.Keep();
            Print(context, evaluation);
            context.Out.WriteLine($"wrote {folder.File(EvaluationResult.JsonFile)} and {folder.File(EvaluationResult.MarkdownFile)}");
            return Cli.Ok;
        });
        return command;
    }

    /// <summary>The data to score: as given on the command line, else the run's own.</summary>
    internal static DataSpec DataFor(ParseResult result, DataOptions data, CheckpointLocation location, long seed)
    {
        if (data.Given(result)) return data.Read(result, (int)seed, location.Config?.Data);
        var own = location.Config?.Data ?? throw new UsageException(
            $"{location.Checkpoint}: no run configuration found beside this checkpoint; name the data with --dataset, --data or --image.");
        return data.Read(result, (int)seed, own);
    }

    internal static EvaluationResult Evaluate(
        CliContext context, CheckpointLocation location, CheckpointManifest manifest, DataSet dataSet, DataSpec spec,
        string splitName, int samples, long? maxPoints, long seed, TorchSharp.torch.Device device, KdeSettings? kde = null)
    {
        var (model, _) = Checkpoint.Load(location.Checkpoint, device);
        using (model)
        {
            var split = TestScorer.Split(dataSet, splitName);
            using var points = TestScorer.Subset(split, maxPoints, seed);
            var (units, logAbsDet) = TestScorer.Units(spec, manifest.Standardizer);
            MeanWithError aem, proposal;
            MeanWithError? kdeScore = null;
            Aem.Evaluation.KdeSelection? selection = null;
            TimeSpan elapsed;
            if (kde is null)
            {
                (aem, proposal, elapsed) = TestScorer.Score(context, model, points, samples, seed, logAbsDet);
            }
            else
            {
                if (kde.ValidationPoints < 1) throw new UsageException($"--kde-validation-points must be at least 1 (got {kde.ValidationPoints}).");
                // A different seed from the test subset's, so the two subsets are drawn independently.
                using var validation = TestScorer.Subset(dataSet.Validation, kde.ValidationPoints, seed + 1);
                (aem, proposal, var kdeSummary, selection, elapsed) = KdeScorer.Score(
                    context, model, points, validation, samples, kde.Samples ?? samples, seed, logAbsDet);
                kdeScore = kdeSummary;
            }
            return new EvaluationResult
            {
                Checkpoint = location.Checkpoint,
                Step = manifest.State?.Step ?? 0,
                Data = TrainingSession.Describe(spec),
                Split = splitName,
                Samples = samples,
                Points = points.shape[0],
                SplitPoints = split.shape[0],
                Units = units,
                LogAbsDetJacobian = logAbsDet,
                Aem = aem,
                Proposal = proposal,
                Kde = kdeScore,
                KdeSelection = selection,
                Truth = string.Equals(spec.BuiltInName, "checkerboard", StringComparison.Ordinal) ? Synthetic2D.CheckerboardLogDensity : null,
                Seconds = elapsed.TotalSeconds,
                Seed = seed,
            };
        }
    }

    internal static void Print(CliContext context, EvaluationResult e)
    {
        var o = context.Out;
        o.WriteLine($"{e.Split} log-likelihood on {e.Data}, {e.Points:N0} points, S = {e.Samples:N0} (nats per point, mean ± 2 SE, {e.Units}):");
        o.WriteLine($"  AEM       {e.Aem.Format(4)}");
        o.WriteLine($"  proposal  {e.Proposal.Format(4)}");
        if (e.Kde is { } kde) o.WriteLine($"  AEM-KDE   {kde.Format(4)}   (h = {e.KdeSelection!.Bandwidth:G3}, λ = {e.KdeSelection.ProposalWeight:G3})");
        if (e.Truth is { } truth) o.WriteLine($"  truth     {truth:F4}   (gap to truth: {e.GapToTruth:0.0000} nats)");
    }
}
