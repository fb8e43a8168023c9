using System.Globalization;
using Aem.Cli.Terminal;

namespace Aem.Tests.Cli;

/// <summary>Runs <c>aem</c> in-process in a temporary folder and captures its output.</summary>
internal sealed class CliHarness : IDisposable
{
    /// <summary>A model small enough to train in a second: the CLI is under test, not the model.</summary>
    public static readonly string[] Tiny =
    [
        "--hidden", "16", "--energy-hidden", "16", "--context", "8", "--blocks", "1", "--batch-size", "64",
        "--train-points", "3000", "--held-out-points", "400", "--threads", "1", "--val-samples", "10", "--val-points", "200",
    ];

    /// <summary><see cref="Tiny"/> without the options that only generated data takes (for a user's file).</summary>
    public static readonly string[] TinyModel =
    [
        "--hidden", "16", "--energy-hidden", "16", "--context", "8", "--blocks", "1", "--batch-size", "64",
        "--threads", "1", "--val-samples", "10", "--val-points", "200",
    ];

    public CliHarness() => Root = Directory.CreateTempSubdirectory("aem-cli-test-").FullName;

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Tests call every command through their harness instance, beside its folder helpers.")]
    public CliOutcome Run(params string[] args) => Run(null, new StringWriter(), args);

    public static CliOutcome Run(GracefulStop? stop, StringWriter output, params string[] args)
    {
        var error = new StringWriter();
        int code = Aem.Cli.Cli.Run(args, output, error, stop, interactive: false);
        return new CliOutcome(code, output.ToString(), error.ToString());
    }

    /// <summary>Trains the tiny model on checkerboard into <paramref name="folder"/>.</summary>
    public CliOutcome TrainTiny(string folder, int steps, params string[] extra) =>
        Run(["train", "--dataset", "checkerboard", "--out", PathOf(folder), "--steps", steps.ToString(CultureInfo.InvariantCulture), .. Tiny, .. extra]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>An exit code and what was written.</summary>
internal sealed record CliOutcome(int Code, string Out, string Error)
{
    public override string ToString() => $"exit {Code}\nstdout:\n{Out}\nstderr:\n{Error}";
}

/// <summary>Requests a graceful stop as soon as the tool writes a line containing a marker (e.g. "step 10/20").</summary>
internal sealed class StopWhenWritten(GracefulStop stop, string marker) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value is not null && value.Contains(marker, StringComparison.Ordinal)) stop.Request();
    }
}
