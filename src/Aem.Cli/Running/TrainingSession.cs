using Aem.Checkpoints;
using Aem.Data;
using Aem.Training;

namespace Aem.Cli.Running;

/// <summary>Runs a <see cref="Trainer"/> under the command line: live progress, Ctrl-C / SIGTERM → checkpoint and a clean exit.</summary>
public static class TrainingSession
{
    public static TrainingResult Run(CliContext context, Trainer trainer, DataSet data, RunDirectory run, int logEvery)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(data);
        var printer = new TrainingProgressPrinter(context.Out, context.Interactive, logEvery, trainer.Options.MaxDuration);
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
