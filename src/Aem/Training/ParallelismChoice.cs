namespace Aem.Training;

/// <summary>What <see cref="TrainingParallelism.Choose"/> set, and the speeds it measured (null where it did not measure).</summary>
/// <param name="Threads">torch's intra-op threads.</param>
/// <param name="Workers">Threads running a step's micro-batches at once.</param>
/// <param name="ThreadsStepsPerSecond">Training steps/s measured with intra-op threads alone.</param>
/// <param name="WorkersStepsPerSecond">Training steps/s measured with two workers of one thread.</param>
public sealed record ParallelismChoice(int Threads, int Workers, double? ThreadsStepsPerSecond, double? WorkersStepsPerSecond)
{
    /// <summary>Training steps/s measured with one intra-op thread and one worker (null where not measured).</summary>
    public double? OneThreadStepsPerSecond { get; init; }

    /// <summary>For a header line, e.g. "1 thread (measured 100 steps/s; 2 threads 90, 2 workers × 1 thread 53)".</summary>
    public string Describe()
    {
        string chosen = Workers > 1 ? $"{Workers} workers × {Threads} thread" : $"{Threads} thread{(Threads == 1 ? "" : "s")}";
        var measured = new List<(string Name, double Rate)>();
        if (ThreadsStepsPerSecond is { } threads) measured.Add(("intra-op threads", threads));
        if (OneThreadStepsPerSecond is { } one) measured.Add(("1 thread", one));
        if (WorkersStepsPerSecond is { } workers) measured.Add(("2 workers × 1 thread", workers));
        if (measured.Count < 2) return chosen;
        var best = measured.MaxBy(m => m.Rate);
        var others = measured.Where(m => m != best).Select(m => $"{m.Name} {Format(m.Rate)}");
        return $"{chosen} (measured {Format(best.Rate)} steps/s; {string.Join(", ", others)})";
    }

    // Whole steps/s for small models; a POWER step's 1.7 against 1.4 needs the decimals.
    private static string Format(double rate) =>
        rate.ToString(rate >= 10 ? "0" : rate >= 1 ? "0.0" : "0.00", System.Globalization.CultureInfo.InvariantCulture);
}
