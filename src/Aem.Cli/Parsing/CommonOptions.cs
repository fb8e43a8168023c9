using System.CommandLine;
using Aem.Runtime;
using static TorchSharp.torch;

namespace Aem.Cli.Parsing;

/// <summary>The options every command takes: <c>--out</c>, <c>--seed</c>, <c>--threads</c>, <c>--device</c>.</summary>
internal sealed class CommonOptions
{
    private CommonOptions(string outDescription)
    {
        Out = new Option<string?>("--out", "-o") { Description = outDescription, HelpName = "DIR" };
    }

    public Option<string?> Out { get; }

    public Option<long> Seed { get; } = new("--seed")
    {
        Description = "Random seed: with the same seed and settings a command repeats its results.",
        DefaultValueFactory = _ => 1,
    };

    public Option<int?> Threads { get; } = new("--threads")
    {
        Description = "Torch compute threads (default: the cores other processes did not keep busy over the last 150 ms, read from /proc/stat). More threads than free cores is many times slower.",
        HelpName = "N",
    };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "Compute device: cpu, cuda or cuda:N (CUDA needs a CUDA build of TorchSharp).",
        DefaultValueFactory = _ => "cpu",
    };

    /// <summary>Creates the options and adds them to <paramref name="command"/>.</summary>
    public static CommonOptions AddTo(Command command, string outDescription, bool withOut = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = new CommonOptions(outDescription);
        if (withOut) command.Add(options.Out);
        command.Add(options.Seed);
        command.Add(options.Threads);
        command.Add(options.Device);
        return options;
    }

    /// <summary>Applies the thread count and resolves the device (failing early with a clear message for CUDA on a CPU build).</summary>
    public (Device Device, int Threads) ApplyRuntime(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var device = TorchRuntime.ResolveDevice(result.GetValue(Device));
        int threads = TorchRuntime.SetThreads(result.GetValue(Threads) ?? TorchRuntime.FreeCores());
        return (device, threads);
    }
}
