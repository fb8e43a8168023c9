namespace Aem.Benchmarking;

/// <summary>One benchmark case's measurements.</summary>
/// <param name="Case">Case name, e.g. "train-power".</param>
/// <param name="Threads">TorchSharp threads used.</param>
/// <param name="Unit">What <see cref="Median"/> measures: "s/step", "points/s", "samples/s", "GFLOP/s".</param>
/// <param name="Median">Median over repetitions.</param>
/// <param name="Min">Fastest repetition (slowest for rates).</param>
/// <param name="Max">Slowest repetition (fastest for rates).</param>
/// <param name="Repetitions">Timed repetitions after warm-up.</param>
/// <param name="FlopsPerRepetition">Analytic matrix-product FLOPs per repetition, where meaningful.</param>
/// <param name="PeakResidentBytes">Peak resident memory of the process during the case.</param>
public sealed record BenchmarkResult(
    string Case,
    int Threads,
    string Unit,
    double Median,
    double Min,
    double Max,
    int Repetitions,
    double? FlopsPerRepetition,
    long? PeakResidentBytes)
{
    /// <summary>Achieved matrix-product GFLOP/s at the median time (for time-per-repetition cases).</summary>
    public double? AchievedGflops => FlopsPerRepetition is { } f && Unit.StartsWith("s/", StringComparison.Ordinal) ? f / Median / 1e9 : null;
}
