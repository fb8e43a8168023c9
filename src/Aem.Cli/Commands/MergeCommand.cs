using System.CommandLine;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Runs;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem merge</c>: joins the shard files of <c>aem evaluate --shard</c> or <c>aem score --shard</c> into the result
/// one process would have written, after checking that they are all the shards of one job.
/// </summary>
internal sealed class MergeCommand
{
    private readonly CliContext context;
    private readonly Argument<string[]> files = new("shards")
    {
        Description = "The N shard files (*.aemshard) of one job, in any order.",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string?> output = new("--output")
    {
        Description = "Shards of `aem score`: the file to write (.csv or .npy; default: the --output the shards were given, beside them).",
        HelpName = "FILE",
    };
    private readonly Option<string?> outFolder = new("--out", "-o")
    {
        Description = "Shards of `aem evaluate`: the folder for evaluation.json and evaluation.md (default: the shards' folder).",
        HelpName = "DIR",
    };

    private MergeCommand(CliContext context, Command command)
    {
        this.context = context;
        command.Add(files);
        command.Add(output);
        command.Add(outFolder);
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("merge", "Join the N shard files of `aem evaluate --shard I/N` or `aem score --shard I/N` into exactly the result of one process " +
            "(the same per-point values, the same mean ± 2 SE). Refuses, writing nothing, a missing or repeated shard and a shard of another job " +
            "(another checkpoint, data, S, seed, N or setting).");
        var handler = new MergeCommand(context, command);
        command.SetAction(handler.Run);
        return command;
    }

    private int Run(ParseResult result)
    {
        var paths = result.GetValue(files)!;
        var merged = ShardMerge.Merge(paths);
        var header = merged.Header;
        string folder = Path.GetDirectoryName(Path.GetFullPath(merged.Files[0]))!;
        context.Out.WriteLine($"merged {header.Count} shards of aem {header.Kind}: {merged.Points.TotalPoints:N0} points of {header.Data} under {header.Checkpoint} " +
            $"(S = {header.Samples:N0}, seed {header.Seed}; {merged.Seconds:0.0} s of scoring in all)");
        if (header.Kind == ShardHeader.EvaluateKind)
        {
            UnusedOptions.Refuse(result, output, false, "goes with shards of aem score; these are of aem evaluate (use --out DIR).");
            var report = merged.ToEvaluationReport();
            using var target = OutputFolder.Open(result.GetValue(outFolder) ?? folder);
            EvaluationFiles.Save(report, target.Path);
            target.Keep();
            EvaluationFiles.Print(context.Out, report);
            context.Out.WriteLine($"wrote {target.File(EvaluationFiles.JsonFile)} and {target.File(EvaluationFiles.MarkdownFile)}");
            return Cli.Ok;
        }
        UnusedOptions.Refuse(result, outFolder, false, "goes with shards of aem evaluate; these are of aem score (use --output FILE).");
        string file = result.GetValue(output) ?? Path.Combine(folder, header.Output ?? throw new UsageException("the shards do not name their output file; give --output FILE."));
        OutputFolder.RequireParent(file, "--output");
        ScoreFile.CheckFormat(file);
        var points = merged.Points;
        AtomicFile.Write(file, temporary =>
        {
            using var scores = ScoreFile.Create(temporary, points.Gaussian is not null);
            scores.Write(0, points.Scores, points.Gaussian);
            scores.Complete();
        });
        context.Out.WriteLine($"wrote {points.TotalPoints:N0} rows to {Path.GetFullPath(file)}");
        var summary = merged.Summary;
        string baseline = summary.Gaussian is { } g ? $", full-covariance Gaussian {g.Mean:0.0000}" : "";
        context.Out.WriteLine($"mean log-likelihood over the file: AEM {summary.Aem.Mean:0.0000}, proposal {summary.Proposal.Mean:0.0000}{baseline}");
        if (summary.MinEffectiveSampleSize is { Unreliable: true } ess)
        {
            context.Error.WriteLine($"aem: warning: {ess.ShareBelow:P1} of the rows have a conditional whose normaliser rests on fewer than {ess.Threshold:G3} effective samples " +
                $"(smallest {ess.Min:G3}); their scores are unreliable: use a larger --samples, and see the min_ess column.");
        }
        return Cli.Ok;
    }
}
