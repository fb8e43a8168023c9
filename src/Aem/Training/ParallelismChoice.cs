namespace Aem.Training;

/// <summary>What <see cref="TrainingParallelism.Choose"/> set, and the speeds it measured (null where it did not measure).</summary>
/// <param name="Threads">torch's intra-op threads.</param>
/// <param name="Workers">Threads running a step's micro-batches at once.</param>
/// <param name="ThreadsStepsPerSecond">Training steps/s measured with intra-op threads alone.</param>
/// <param name="WorkersStepsPerSecond">Training steps/s measured with two workers of one thread.</param>
public sealed record ParallelismChoice(int Threads, int Workers, double? ThreadsStepsPerSecond, double? WorkersStepsPerSecond)
{
    /// <summary>For a header line, e.g. "2 workers × 1 thread (measured 95 against 48 steps/s with 2 threads)".</summary>
    public string Describe()
    {
        string chosen = Workers > 1 ? $"{Workers} workers × {Threads} thread" : $"{Threads} thread{(Threads == 1 ? "" : "s")}";
        if (ThreadsStepsPerSecond is not { } threads || WorkersStepsPerSecond is not { } workers) return chosen;
        return Workers > 1
            ? FormattableString.Invariant($"{chosen} (measured {workers:0} against {threads:0} steps/s with intra-op threads)")
            : FormattableString.Invariant($"{chosen} (measured {threads:0} against {workers:0} steps/s with 2 workers × 1 thread)");
    }
}
