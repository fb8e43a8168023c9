using System.CommandLine;
using System.Diagnostics;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Runs;
using Aem.Sampling;
using static TorchSharp.torch;

namespace Aem.Cli.Commands;

/// <summary><c>aem sample</c>: draws samples by importance resampling (or from the proposal), in the data's original units.</summary>
internal static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("sample", "Draw samples from a trained AEM by sampling-importance-resampling (paper §3.3), " +
            "in the data's original units, and write them as CSV or .npy.");
        var checkpoint = CheckpointOptions.Create();
        var count = new Option<long>("--count", "-n") { Description = "Number of samples.", Required = true, HelpName = "N" };
        var output = new Option<string>("--output") { Description = "File to write: .csv (a header with the data's column names, else x1..xD) or .npy.", Required = true, HelpName = "FILE" };
        var candidates = new Option<int>("--proposal-samples")
        {
            Description = "Proposal samples per dimension among which each value is resampled (the paper: 100).",
            DefaultValueFactory = _ => ImportanceResampler.DefaultProposalSamples,
        };
        var from = new Option<string>("--from") { Description = "aem (default) or proposal (exact samples from the proposal alone).", DefaultValueFactory = _ => "aem" };
        command.Add(checkpoint);
        command.Add(count);
        command.Add(output);
        command.Add(candidates);
        command.Add(from);
        var common = CommonOptions.AddTo(command, "", withOut: false);
        command.SetAction(result =>
        {
            long n = result.GetValue(count);
            if (n < 1) throw new UsageException($"--count must be at least 1 (got {n}).");
            string path = result.GetValue(output)!;
            string source = result.GetValue(from)!.ToLowerInvariant();
            if (source is not ("aem" or "proposal")) throw new UsageException($"--from must be aem or proposal, not '{source}'.");
            UnusedOptions.Refuse(result, candidates, source == "aem", "sets the AEM's resampling; it has no effect with --from proposal.");
            if (Path.GetExtension(path).ToLowerInvariant() is not (".csv" or ".npy"))
            {
                throw new UsageException($"{path}: unknown output format '{Path.GetExtension(path)}'; use .csv or .npy.");
            }
            OutputFolder.RequireParent(path, "--output");
            var (device, _) = common.ApplyRuntime(result);
            var run = SavedRun.Open(result.GetValue(checkpoint)!);
            var model = run.LoadModel(device);
            using (model)
            {
                using var generator = new Generator((ulong)result.GetValue(common.Seed), device);
                var clock = Stopwatch.StartNew();
                using var scope = NewDisposeScope();
                var samples = source == "aem"
                    ? ImportanceResampler.Sample(model, n, result.GetValue(candidates), generator)
                    : ProposalSampler.Sample(model, n, generator);
                var inDataUnits = run.File.Standardizer is { } standardizer ? standardizer.Inverse(samples) : samples;
                SampleFile.Write(path, inDataUnits.cpu(), run.File.ColumnNames);
                context.Out.WriteLine($"wrote {n:N0} {(source == "aem" ? "AEM" : "proposal")} samples (D = {model.Options.Features}, data units) to {Path.GetFullPath(path)} in {Durations.Format(clock.Elapsed)}");
            }
            return Cli.Ok;
        });
        return command;
    }
}
