using System.Diagnostics;

namespace Aem.Training;

/// <summary>
/// What stops a training run before its step budget: cancellation, a wall-time limit on this run, and
/// too many non-finite steps in a row. Keeps the run's clock, started when the run starts.
/// </summary>
internal sealed class RunLimits(TimeSpan? maxDuration, int maxNonFiniteSteps, CancellationToken cancellationToken)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Non-finite steps since the last finite one.</summary>
    public int NonFiniteInARow { get; private set; }

    /// <summary><see cref="StopReason.Cancelled"/> or <see cref="StopReason.TimeLimit"/> if the run must stop before its next step.</summary>
    public StopReason? Interruption() =>
        cancellationToken.IsCancellationRequested ? StopReason.Cancelled
        : maxDuration is { } limit && clock.Elapsed >= limit ? StopReason.TimeLimit
        : null;

    /// <summary>Counts a non-finite step; true once the streak reaches the limit.</summary>
    public bool NonFinite() => ++NonFiniteInARow >= maxNonFiniteSteps;

    /// <summary>A finite step ends the streak.</summary>
    public void Finite() => NonFiniteInARow = 0;
}
