using System.Diagnostics;
using Aem.Checkpoints;
using Aem.Data;
using Aem.Model;
using Aem.Training;

namespace Aem.Cli.Running;

/// <summary>Runs a <see cref="Trainer"/> under the command line: live progress, Ctrl-C / SIGTERM → checkpoint and a clean exit.</summary>
public static class TrainingSession
{
    /// <summary>Runs <paramref name="trainer"/> to its end, its time limit, or a stop request.</summary>
    /// <param name="context">Output and stop requests.</param>
    /// <param name="trainer">The trainer.</param>
    /// <param name="data">Training and validation splits.</param>
    /// <param name="run">Where checkpoints go.</param>
    /// <param name="logEvery">Steps between plain progress lines.</param>
    /// <param name="deadline">Time left for the ETA, if not the trainer's own limit.</param>
    public static TrainingResult Run(CliContext context, Trainer trainer, DataSet data, RunDirectory run, int logEvery, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(data);
        var printer = new TrainingProgressPrinter(context.Out, context.Interactive, logEvery, deadline ?? trainer.Options.MaxDuration);
        using var notice = context.Stop.Token.Register(() =>
            context.Error.WriteLine("aem: stopping after the current step and saving a checkpoint (press Ctrl-C again to quit at once)"));
        context.Stop.Armed = true;
        try
        {
            return trainer.Run(data.Train, data.Validation, printer, run, context.Stop.Token);
        }
        finally
        {
            context.Stop.Armed = false;
            printer.Finish();
        }
    }

    /// <summary>
    /// Trains for about <paramref name="budget"/> of wall time. The cosine schedule needs the total steps in
    /// advance, and a short timing probe before training can be off by a factor of two on a busy machine;
    /// so after the first fifth of the budget the total is re-planned from the speed of this very run,
    /// and training continues from the checkpoint just saved (weights, Adam moments, step) with the new
    /// total. Returns the outcome and the options of the last phase.
    /// </summary>
    public static (TrainingResult Outcome, TrainerOptions Options) RunWithinBudget(
        CliContext context, AutoregressiveEnergyMachine model, TrainerOptions options, DataSet data, RunDirectory run, int logEvery, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        var clock = Stopwatch.StartNew();
        TrainingResult first;
        using (var trainer = new Trainer(model, options with { MaxDuration = budget * 0.2 }))
        {
            first = Run(context, trainer, data, run, logEvery, budget);
        }
        if (first.Reason != StopReason.TimeLimit || context.Stop.Token.IsCancellationRequested) return (first, options);

        // The measured rate includes this run's validations and checkpoints, as the rest will.
        double rate = first.State.Step / clock.Elapsed.TotalSeconds;
        var left = budget - clock.Elapsed;
        int steps = first.State.Step + (int)Math.Max(1, Math.Floor(rate * left.TotalSeconds * 0.98));
        int validateEvery = options.ValidateEvery == 0 ? 0 : Math.Max(1, (int)Math.Round((double)options.ValidateEvery * steps / options.Steps));
        var second = options with { Steps = steps, ValidateEvery = validateEvery, MaxDuration = left };
        context.Out.WriteLine($"re-planned from this run's speed ({rate:0.0} steps/s): {steps:N0} steps in all, validating every {validateEvery:N0}");
        using (var trainer = new Trainer(model, second, first.State))
        {
            Checkpoint.LoadOptimizer(run.LastDirectory, trainer.Optimizer);
            return (Run(context, trainer, data, run, logEvery), second);
        }
    }

    /// <summary>Says why training stopped, where the checkpoints are and what to do next; returns the exit code.</summary>
    public static int Report(CliContext context, TrainingResult result, RunDirectory run, TimeSpan wallTime)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(run);
        var state = result.State;
        string why = result.Reason switch
        {
            StopReason.Completed => "completed",
            StopReason.EarlyStopped => "stopped early (no improvement within --patience validations)",
            StopReason.Cancelled => "interrupted",
            StopReason.TimeLimit => "reached the --time limit",
            StopReason.NonFinite => "stopped: the loss was not finite",
            _ => result.Reason.ToString(),
        };
        var output = context.Out;
        output.WriteLine($"training {why} at step {state.Step:N0} after {Durations.Format(wallTime)}");
        if (state.BestScore is { } best) output.WriteLine($"best validation score {best:0.0000} nats at step {state.BestStep:N0}");
        output.WriteLine($"checkpoints: {run.BestDirectory} (best validation), {run.LastDirectory} (latest, resumable)");
        if (result.Reason is StopReason.Cancelled or StopReason.TimeLimit)
        {
            output.WriteLine($"continue with: aem train --resume {run.Path}");
        }
        output.WriteLine($"next: aem evaluate --checkpoint {run.Path}   aem sample --checkpoint {run.Path} -n 1000 --output samples.csv   aem plot --checkpoint {run.Path}");
        if (result.Reason == StopReason.NonFinite)
        {
            context.Error.WriteLine($"aem: error: {result.Message}");
            return Cli.Failed;
        }
        return Cli.Ok;
    }

    /// <summary>A short description of the data for checkpoint manifests ("checkerboard", "file:/abs/path.csv").</summary>
    public static string Describe(DataSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.File is { } file) return "file:" + Path.GetFullPath(file);
        if (spec.Image is { } image) return "image:" + Path.GetFullPath(image);
        return spec.Dataset ?? "data";
    }

    /// <summary>True if <paramref name="path"/> looks like a run folder (config.json, last/ or best/).</summary>
    public static bool IsRunFolder(string path) =>
        File.Exists(Path.Combine(path, RunConfig.FileName)) ||
        Directory.Exists(Path.Combine(path, "last")) || Directory.Exists(Path.Combine(path, "best"));
}
