using System.Runtime.InteropServices;

namespace Aem.Cli.Terminal;

/// <summary>
/// A request to stop cleanly (Ctrl-C, SIGTERM). Only while <see cref="Armed"/> — that is, while a
/// command can save its work and exit — is the first signal turned into a cancellation; otherwise,
/// and on a second signal, the process ends as usual.
/// </summary>
internal sealed class GracefulStop : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];

    public CancellationToken Token => source.Token;

    /// <summary>Set by a command while it can stop gracefully (training).</summary>
    public bool Armed { get; set; }

    /// <summary>Requests a stop (what a signal does while armed); tests call it directly.</summary>
    public void Request() => source.Cancel();

    /// <summary>A stop wired to the process's SIGINT and SIGTERM.</summary>
    public static GracefulStop FromProcessSignals()
    {
        var stop = new GracefulStop();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            stop.registrations.Add(PosixSignalRegistration.Create(signal, stop.OnSignal));
        }
        return stop;
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (!Armed || source.IsCancellationRequested) return;
        context.Cancel = true;
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
