using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Data;
using Aem.Runs;
using Aem.Sampling;
using static TorchSharp.torch;

namespace Aem.Cli.Commands;

/// <summary><c>aem sample</c>: draws samples by importance resampling (or from the proposal), in the data's original units.</summary>
internal static class SampleCommand
{
    /// <summary>The first output column of a conditional run's samples: the 1-based context row each sample was drawn at.</summary>
    public const string ContextRowColumn = "context_row";

    public static Command Create(CliContext context)
    {
        var command = new Command("sample", "Draw samples from a trained AEM by sampling-importance-resampling (paper §3.3), " +
            "in the data's original units, and write them as CSV or .npy. For a conditional model p(x | c), give the contexts: --count samples are drawn at each.");
        var checkpoint = CheckpointOptions.Create();
        var count = new Option<long>("--count", "-n") { Description = "Number of samples (of a conditional model: per context row).", Required = true, HelpName = "N" };
        var output = new Option<string>("--output")
        {
            Description = "File to write: .csv (a header with the data's column names, else x1..xD) or .npy. A conditional model's rows start with " +
                $"{ContextRowColumn} (the 1-based context row) and end with the context's values.",
            Required = true,
            HelpName = "FILE",
        };
        var candidates = new Option<int>("--proposal-samples")
        {
            Description = "Proposal samples per dimension among which each value is resampled (the paper: 100).",
            DefaultValueFactory = _ => ImportanceResampler.DefaultProposalSamples,
        };
        var from = new Option<string>("--from") { Description = "aem (default) or proposal (exact samples from the proposal alone).", DefaultValueFactory = _ => "aem" };
        var contextValues = new Option<string?>("--context") { Description = "One context row for a conditional model, in the data's units, comma-separated (e.g. \"1.5,-2\").", HelpName = "VALUES" };
        var contextFile = new Option<string?>("--context-file") { Description = "Context rows for a conditional model (CSV or .npy, one context per row): --count samples at each.", HelpName = "FILE" };
        command.Add(checkpoint);
        command.Add(count);
        command.Add(output);
        command.Add(candidates);
        command.Add(from);
        command.Add(contextValues);
        command.Add(contextFile);
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
            var run = SavedRun.Open(result.GetValue(checkpoint)!);
            var contexts = Contexts(result.GetValue(contextValues), result.GetValue(contextFile), run);
            var (device, _) = common.ApplyRuntime(result);
            var model = run.LoadModel(device);
            using (model)
            {
                using var generator = new Generator((ulong)result.GetValue(common.Seed), device);
                var clock = Stopwatch.StartNew();
                using var scope = NewDisposeScope();
                var samples = RunSampling.Sample(run, model, n, contexts, generator, result.GetValue(candidates), fromProposal: source == "proposal").cpu();
                var (table, names) = contexts is null ? (samples, run.File.ColumnNames) : WithContexts(samples, contexts, n, run);
                SampleFile.Write(path, table, names);
                string at = contexts is null ? "" : $" ({n:N0} at each of {Plural.Of(contexts.Rows, "context row")})";
                context.Out.WriteLine($"wrote {samples.shape[0]:N0} {(source == "aem" ? "AEM" : "proposal")} samples{at} (D = {model.Options.Features}, data units) to {Path.GetFullPath(path)} in {Durations.Format(clock.Elapsed)}");
            }
            return Cli.Ok;
        });
        return command;
    }

    /// <summary>The contexts the options give (data units), or null; a conditional run needs them, a run without a context refuses them.</summary>
    private static NumericTable? Contexts(string? values, string? file, SavedRun run)
    {
        int c = run.File.Model.ConditioningFeatures;
        if (values is not null && file is not null) throw new UsageException("give the contexts once: --context or --context-file, not both.");
        if (c == 0)
        {
            if (values is not null || file is not null)
            {
                throw new UsageException($"{(values is not null ? "--context" : "--context-file")}: the run {run.Checkpoint} models p(x) without a context.");
            }
            return null;
        }
        if (values is null && file is null)
        {
            throw new UsageException($"the run {run.Checkpoint} models p(x | c) with {Plural.Of(c, "context value")}: give them with --context VALUES or --context-file FILE.");
        }
        if (file is not null) return TableReader.ReadAll(file);
        var parts = values!.Split(',', StringSplitOptions.TrimEntries);
        var parsed = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out parsed[i]) || !double.IsFinite(parsed[i]))
            {
                throw new UsageException($"--context: value {i + 1} ('{parts[i]}') is not a finite number.");
            }
        }
        if (parsed.Length != c) throw new UsageException($"--context: {Plural.Of(parsed.Length, "value")}, but the run {run.Checkpoint} is conditioned on {c}.");
        return new NumericTable("--context", 1, c, parsed, run.File.ContextColumnNames);
    }

    /// <summary>Each sample's row as written: its context row (1-based), its values, then its context's values.</summary>
    private static (Tensor Table, IReadOnlyList<string> Names) WithContexts(Tensor samples, NumericTable contexts, long perContext, SavedRun run)
    {
        var rowNumbers = arange(1, contexts.Rows + 1, dtype: float64).repeat_interleave(perContext).unsqueeze(1); // [R·n, 1]
        var given = tensor(contexts.Values, [contexts.Rows, contexts.Columns], dtype: float64).repeat_interleave(perContext, 0); // [R·n, C]
        var table = cat([rowNumbers, samples.to(float64), given], 1);
        int d = (int)samples.shape[1];
        var xNames = run.File.ColumnNames is { Count: var count } names && count == d ? names : Enumerable.Range(1, d).Select(i => $"x{i}").ToArray();
        var cNames = run.File.ContextColumnNames is { } known && known.Count == contexts.Columns ? known : Enumerable.Range(1, contexts.Columns).Select(i => $"c{i}").ToArray();
        return (table, [ContextRowColumn, .. xNames, .. cNames]);
    }
}
