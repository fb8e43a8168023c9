using Aem.Cli.Terminal;
using Aem.Runs;
using static TorchSharp.torch;

namespace Aem.Cli;

/// <summary>Where a command writes and how it is asked to stop.</summary>
/// <param name="Out">Results and progress.</param>
/// <param name="Error">Errors (one line each).</param>
/// <param name="Stop">Graceful-stop requests (Ctrl-C, SIGTERM).</param>
/// <param name="Interactive">True when <paramref name="Out"/> is a terminal: progress then updates one line in place.</param>
/// <param name="Arguments">The command line as given (recorded in run files).</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, GracefulStop Stop, bool Interactive, IReadOnlyList<string> Arguments)
{
    /// <summary>The tool's name and version, e.g. "aem 1.0.0".</summary>
    public static string Tool => "aem " + typeof(CliContext).Assembly.GetName().Version;

    /// <summary>How a run started by this command came about.</summary>
    public RunProvenance Provenance(int threads, Device device) => new()
    {
        Tool = Tool,
        CommandLine = ["aem", .. Arguments],
        Threads = threads,
        Device = device.ToString(),
    };
}
