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
            var evaluation = Evaluate(context, location, manifest, dataSet, spec, splitName, result.GetValue(samples), result.GetValue(maxPoints), seed, device);
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
        string splitName, int samples, long? maxPoints, long seed, TorchSharp.torch.Device device)
    {
        var (model, _) = Checkpoint.Load(location.Checkpoint, device);
        using (model)
        {
            var split = TestScorer.Split(dataSet, splitName);
            using var points = TestScorer.Subset(split, maxPoints, seed);
            var (units, logAbsDet) = TestScorer.Units(spec, manifest.Standardizer);
            var (aem, proposal, elapsed) = TestScorer.Score(context, model, points, samples, seed, logAbsDet);
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
        o.WriteLine($"  AEM       {e.Aem.Format()}");
        o.WriteLine($"  proposal  {e.Proposal.Format()}");
        if (e.Truth is { } truth) o.WriteLine($"  truth     {truth:F4}   (gap to truth: {e.GapToTruth:0.0000} nats)");
    }
}
