using System.CommandLine;
using Aem.Runs;

namespace Aem.Cli.Parsing;

/// <summary>The options and checks the <c>aem vae</c> subcommands share.</summary>
internal static class VaeArguments
{
    public static Option<string> Mnist() => new("--mnist")
    {
        Description = "Folder with the MNIST IDX files (train-images-idx3-ubyte[.gz], t10k-images-idx3-ubyte[.gz]).",
        HelpName = "DIR",
        DefaultValueFactory = _ => Path.Combine("..", "shared", "data", "mnist"),
    };

    public static Option<string> Vae() => new("--vae")
    {
        Description = "The pre-trained VAE: the run folder of 'aem vae pretrain' (its best/) or a checkpoint folder.",
        HelpName = "DIR",
        Required = true,
    };

    public static Option<TimeSpan?> Time() => Durations.Option(
        "--time", "Wall-time budget for this run, e.g. 90s, 10m, 1h30m; a checkpoint is saved when it runs out (continue with --resume).");

    /// <summary>Applies --threads; the VAE commands run on the CPU, so another --device is refused.</summary>
    public static void ApplyRuntime(CommonOptions common, ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(common);
        var (device, _) = common.ApplyRuntime(result);
        if (device.type != TorchSharp.DeviceType.CPU) throw new UsageException($"--device {device}: the 'aem vae' commands run on the CPU only.");
    }

    /// <summary>Refuses to start over a run already in <paramref name="run"/> unless resuming, and to resume where there is none.</summary>
    public static void CheckRunFolder(string run, bool resume, string resumeCommand)
    {
        bool hasRun = RunLayout.IsRun(run);
        if (hasRun && !resume) throw new UsageException($"{run}: already holds a run; continue it with '{resumeCommand} --resume', or choose another --out.");
        if (!hasRun && resume) throw new UsageException($"{run}: no run to resume here (no {RunLayout.Last}/ checkpoint).");
    }
}
