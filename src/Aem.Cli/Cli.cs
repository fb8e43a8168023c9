using System.CommandLine;
using System.Globalization;
using Aem.Cli.Commands;
using Aem.Cli.Terminal;
using Aem.Data;
using Aem.Runs;
using Aem.Runtime;

namespace Aem.Cli;

/// <summary>
/// The <c>aem</c> command line: parses the arguments, runs one command and turns every expected
/// failure (bad input, an unusable checkpoint or device, invalid settings) into a single line
/// <c>aem: error: …</c> on the error stream and exit code 2, without a stack trace.
/// </summary>
internal static class Cli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    /// <summary>Runs <c>aem</c> with <paramref name="args"/> in-process and returns its exit code.</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="output">Results and progress.</param>
    /// <param name="error">Error messages.</param>
    /// <param name="stop">Graceful-stop requests; null for none.</param>
    /// <param name="interactive">Whether <paramref name="output"/> is a terminal (default: detected).</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, GracefulStop? stop = null, bool? interactive = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Images.AemImages.Register();
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var ownStop = stop is null ? new GracefulStop() : null;
        try
        {
            var context = new CliContext(output, error, stop ?? ownStop!, interactive ?? IsTerminal(output), args);
            var root = CreateRoot(context);
            var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
            if (parsed.Errors.Count > 0)
            {
                string command = parsed.CommandResult.Command == root ? "aem" : $"aem {parsed.CommandResult.Command.Name}";
                // "Required command was not provided" says least when a mistyped command explains it.
                var messages = parsed.Errors.Select(e => OneLine(e.Message)).ToList();
                if (messages.Count > 1) messages.RemoveAll(m => m.StartsWith("Required command", StringComparison.Ordinal));
                error.WriteLine($"aem: error: {string.Join("; ", messages)} (see '{command} --help')");
                return BadInput;
            }
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsBadInput(e))
        {
            error.WriteLine($"aem: error: {Message(e)}");
            return BadInput;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"aem: internal error: {e.GetType().Name}: {Short(e.Message)} (AEM_DEBUG=1 prints the stack trace)");
            if (Environment.GetEnvironmentVariable("AEM_DEBUG") is { Length: > 0 }) error.WriteLine(e);
            return Failed;
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            ownStop?.Dispose();
        }
    }

    private static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand(
            "aem: Autoregressive Energy Machines (Nash & Durkan, ICML 2019). Train, evaluate, sample and plot " +
            "density models from the command line. Start with 'aem demo'.");
        root.Add(DemoCommand.Create(context));
        root.Add(TrainCommand.Create(context));
        root.Add(EvaluateCommand.Create(context));
        root.Add(ScoreCommand.Create(context));
        root.Add(MergeCommand.Create(context));
        root.Add(SampleCommand.Create(context));
        root.Add(PlotCommand.Create(context));
        root.Add(InfoCommand.Create(context));
        root.Add(CalibrateCommand.Create(context));
        root.Add(FigureCommand.Create(context));
        root.Add(BenchCommand.Create(context));
        root.Add(VaeCommand.Create(context));
        return root;
    }

    private static bool IsTerminal(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    private static bool IsBadInput(Exception e) => e is DataFormatException or CheckpointException or RunFolderInUseException or DeviceUnavailableException
        or UsageException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
        or UnauthorizedAccessException or PathTooLongException;

    /// <summary>
    /// The message on one line, without .NET's "(Parameter 'x')" suffix, naming the command-line option
    /// where the library names the setting ("BatchSize must be …" → "--batch-size must be …").
    /// </summary>
    private static string Message(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException { ParamName: { } name })
        {
            message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
            if (Options.TryGetValue(name, out var option) && message.StartsWith(name + " ", StringComparison.Ordinal))
            {
                message = option + message[name.Length..];
            }
        }
        return OneLine(message);
    }

    /// <summary>The option that sets each library setting.</summary>
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["BatchSize"] = "--batch-size",
        ["Steps"] = "--steps",
        ["WarmupSteps"] = "--warmup",
        ["LearningRate"] = "--lr",
        ["LearningRateRampSteps"] = "--lr-ramp",
        ["ValidateEvery"] = "--validate-every",
        ["ValidationPoints"] = "--val-points",
        ["Patience"] = "--patience",
        ["GradientClipNorm"] = "--clip",
        ["CheckpointEvery"] = "--checkpoint-every",
        ["MaxDuration"] = "--time",
        ["TrainingSamples"] = "--samples",
        ["ValidationSamples"] = "--val-samples",
        ["HiddenFeatures"] = "--hidden",
        ["EnergyHiddenFeatures"] = "--energy-hidden",
        ["ContextFeatures"] = "--context",
        ["ResMadeBlocks"] = "--blocks",
        ["EnergyBlocks"] = "--blocks",
        ["Components"] = "--components",
        ["Dropout"] = "--dropout",
        ["Beta"] = "--beta",
        ["Conditionals"] = "--conditionals",
        ["SampleSizes"] = "--sizes",
    };

    /// <summary>
    /// One short line of an unexpected exception's message: libtorch appends its native stack trace to the
    /// message ("Exception raised from … frame #0 …", thousands of characters), which only AEM_DEBUG shows.
    /// </summary>
    internal static string Short(string message)
    {
        string line = OneLine(message);
        int trace = line.IndexOf(" Exception raised from ", StringComparison.Ordinal);
        if (trace >= 0) line = line[..trace];
        return line.Length <= 300 ? line : string.Concat(line.AsSpan(0, 297), "...");
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
