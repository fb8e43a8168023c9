using System.CommandLine;
using Aem.Cli.Running;
using Aem.Training;
using static TorchSharp.torch;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem vae</c>: the paper's latent-variable experiment (§4.4) on MNIST, one subcommand per stage:
/// <c>pretrain</c> → <c>fit-prior</c> → <c>evaluate</c> (Table 2), and <c>samples</c> (figure 6).
/// Also the options and helpers its subcommands share.
/// </summary>
public static class VaeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("vae", "The paper's VAE experiment on MNIST (§4.4, Table 2, figure 6): " +
            "pretrain a VAE, fit a ResMADE-MoG or AEM prior to its aggregate posterior, evaluate, draw samples.");
        command.Add(VaePretrainCommand.Create(context));
        command.Add(VaeFitPriorCommand.Create(context));
        command.Add(VaeEvaluateCommand.Create(context));
        command.Add(VaeSamplesCommand.Create(context));
        return command;
    }

    internal static Option<string> MnistOption() => new("--mnist")
    {
        Description = "Folder with the MNIST IDX files (train-images-idx3-ubyte[.gz], t10k-images-idx3-ubyte[.gz]).",
        HelpName = "DIR",
        DefaultValueFactory = _ => Path.Combine("..", "shared", "data", "mnist"),
    };

    internal static Option<string> VaeOption() => new("--vae")
    {
        Description = "The pre-trained VAE: the run folder of 'aem vae pretrain' (its best/) or a checkpoint folder.",
        HelpName = "DIR",
        Required = true,
    };

    internal static Option<TimeSpan?> TimeOption() => Durations.Option(
        "--time", "Wall-time budget for this run, e.g. 90s, 10m, 1h30m; a checkpoint is saved when it runs out (continue with --resume).");

    /// <summary>Applies --threads; the VAE commands run on the CPU, so another --device is refused.</summary>
    internal static void ApplyRuntime(CommonOptions common, ParseResult result)
    {
        var (device, _) = common.ApplyRuntime(result);
        if (device.type != TorchSharp.DeviceType.CPU) throw new UsageException($"--device {device}: the 'aem vae' commands run on the CPU only.");
    }

    /// <summary>Refuses to start over a run already in <paramref name="run"/> unless resuming, and to resume where there is none.</summary>
    internal static void CheckRunFolder(string run, bool resume, string resumeCommand)
    {
        bool hasRun = File.Exists(Path.Combine(run, "last", Checkpoints.Checkpoint.ManifestFile));
        if (hasRun && !resume) throw new UsageException($"{run}: already holds a run; continue it with '{resumeCommand} --resume', or choose another --out.");
        if (!hasRun && resume) throw new UsageException($"{run}: no run to resume here (no last/ checkpoint).");
    }

    /// <summary>Runs <paramref name="work"/> with Ctrl-C / SIGTERM turned into a cancellation (checkpoint and exit).</summary>
    internal static T Stoppable<T>(CliContext context, Func<CancellationToken, T> work)
    {
        using var notice = context.Stop.Token.Register(() =>
            context.Error.WriteLine("aem: stopping after the current step and saving a checkpoint (press Ctrl-C again to quit at once)"));
        context.Stop.Armed = true;
        try
        {
            return work(context.Stop.Token);
        }
        finally
        {
            context.Stop.Armed = false;
        }
    }

    internal static string Why(StopReason reason) => reason switch
    {
        StopReason.Completed => "completed",
        StopReason.Cancelled => "interrupted",
        StopReason.TimeLimit => "reached the --time limit",
        StopReason.NonFinite => "stopped: the loss was not finite",
        StopReason.EarlyStopped => "stopped early",
        _ => reason.ToString(),
    };

    /// <summary>Writes every report as one line.</summary>
    internal sealed class LinePrinter<T>(TextWriter output, Func<T, string?> format) : IProgress<T>
    {
        public void Report(T value)
        {
            if (format(value) is { } line) output.WriteLine(line);
        }
    }
}
