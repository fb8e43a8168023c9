using Aem.Cli.Parsing;
using Aem.Data;
using Aem.Runs;
using Aem.Training;
using TorchSharp;

namespace Aem.Cli.Terminal;

/// <summary>Runs an AEM training under the command line: live progress, Ctrl-C / SIGTERM → checkpoint and a clean exit, and the closing summary.</summary>
internal static class TrainingConsole
{
    /// <summary>Trains <paramref name="run"/> on <paramref name="data"/> to its end, its time limit, or a stop request.</summary>
    /// <param name="context">Output and stop requests.</param>
    /// <param name="run">The run being trained.</param>
    /// <param name="data">Training and validation splits.</param>
    /// <param name="logEvery">Steps between plain progress lines.</param>
    /// <param name="budget">A wall-time budget to re-plan the steps for, if the steps were fitted to one.</param>
    public static TrainingResult<ValidationScore> Train(CliContext context, TrainingRun run, DataSet data, int logEvery, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        var printer = new TrainingProgressPrinter(context.Out, context.Interactive, logEvery, budget ?? run.Trainer.Options.MaxDuration);
        var replanned = new Inline<BudgetReplan>(r =>
        {
            printer.Finish();
            context.Out.WriteLine($"re-planned from this run's speed ({r.StepsPerSecond:0.0} steps/s): {r.Steps:N0} steps in all, validating every {r.ValidateEvery:N0}");
        });
        try
        {
            return Stoppable.Run(context, token => run.Train(data, printer, budget, replanned, token));
        }
        finally
        {
            printer.Finish();
        }
    }

    /// <summary>Says why training stopped, which checkpoints there are and what to do next; returns the exit code.</summary>
    public static int Report(CliContext context, TrainingResult<ValidationScore> result, TrainingRun run, TimeSpan wallTime, DataSet? data = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(run);
        var state = result.State;
        var output = context.Out;
        output.WriteLine($"training {Stoppable.Why(result.Reason)} at step {state.Step:N0} after {Durations.Format(wallTime)}" +
            (result.Reason == StopReason.EarlyStopped ? $": the validation score did not improve in {run.Trainer.Options.Patience} validations after its best at step {state.BestStep:N0}, whose weights are in best/" : ""));
        if (state.BestScore is { } bestScore)
        {
            output.WriteLine($"best validation score {bestScore:0.0000} nats per point at step {state.BestStep:N0}");
            if (run.Checkpoints.Template.Baseline is { } baseline && data is not null && data.Validation.shape[0] > 0)
            {
                using var logProb = baseline.LogProb(data.Validation);
                double gaussian = logProb.mean().ToDouble() + run.Checkpoints.Template.Objective.LogAbsDetJacobian;
                var latest = state.History.Count > 0 ? state.History[^1] : null;
                output.WriteLine($"validation, same units: AEM {bestScore:0.0000} (best), proposal {latest?.LogProposal:0.0000} (last), full-covariance Gaussian {gaussian:0.0000}");
                if (bestScore < gaussian)
                {
                    context.Error.WriteLine($"aem: warning: the AEM ({bestScore:0.0000}) does not beat a full-covariance Gaussian ({gaussian:0.0000}) on the validation rows; train longer, or see docs/data.md on small tables.");
                }
            }
        }
        string best = RunLayout.BestOf(run.Folder), last = RunLayout.LastOf(run.Folder);
        var saved = new List<string>();
        if (Directory.Exists(best)) saved.Add($"{best} (best validation)");
        if (Directory.Exists(last)) saved.Add($"{last} (latest, resumable)");
        output.WriteLine(saved.Count > 0 ? $"checkpoints: {string.Join(", ", saved)}" : "no checkpoint was saved");
        if (result.Reason is StopReason.Cancelled or StopReason.TimeLimit && Directory.Exists(last))
        {
            output.WriteLine($"continue with: aem train --resume {run.Folder}");
        }
        if (saved.Count > 0)
        {
            // A run folder means its best/ checkpoint; before the first validation only last/ exists.
            string target = Directory.Exists(best) ? run.Folder : last;
            output.WriteLine($"next: aem evaluate --checkpoint {target}   aem sample --checkpoint {target} -n 1000 --output samples.csv   aem plot --checkpoint {target}");
        }
        if (result.Reason == StopReason.NonFinite)
        {
            context.Error.WriteLine($"aem: error: {result.Message} Try a lower --lr, a longer --warmup, or --clip.");
            return Cli.Failed;
        }
        return Cli.Ok;
    }

    /// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (not the captured context).</summary>
    private sealed class Inline<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
