namespace Aem.Cli.Running;

/// <summary>Where a command writes and how it is asked to stop.</summary>
/// <param name="Out">Results and progress.</param>
/// <param name="Error">Errors (one line each).</param>
/// <param name="Stop">Graceful-stop requests (Ctrl-C, SIGTERM).</param>
/// <param name="Interactive">True when <paramref name="Out"/> is a terminal: progress then updates one line in place.</param>
/// <param name="Arguments">The command line as given (recorded in run configurations).</param>
public sealed record CliContext(TextWriter Out, TextWriter Error, GracefulStop Stop, bool Interactive, IReadOnlyList<string> Arguments);
