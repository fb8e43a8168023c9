using System.Globalization;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// A sample mean with its standard error, reported as "mean ± 2 SE" (the paper's Table 1 error bars).
/// SE = sd / √n with the population standard deviation (divisor n), as the authors' evaluation script
/// computes it; for test sets of thousands of points the divisor makes no visible difference.
/// Computed in float64 whatever the input precision.
/// </summary>
/// <param name="Mean">Sample mean.</param>
/// <param name="StandardError">Standard deviation over √n.</param>
/// <param name="Count">n, the number of values.</param>
public sealed record MeanWithError(double Mean, double StandardError, long Count)
{
    /// <summary>Half-width of the reported interval, 2 SE.</summary>
    public double TwoStandardErrors => 2 * StandardError;

    /// <summary>Summarises <paramref name="values"/> (a non-finite value makes the result non-finite).</summary>
    /// <param name="values">The per-point values, at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static MeanWithError Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("Cannot summarise an empty set of values.", nameof(values));
        double mean = values.Average();
        // Two-pass variance: one pass with Σx² loses digits when |mean| ≫ sd.
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
        return new MeanWithError(mean, Math.Sqrt(variance / values.Count), values.Count);
    }

    /// <summary>Summarises a tensor of per-point values (any shape, flattened; converted to float64 on the CPU).</summary>
    /// <param name="values">The per-point values, on any device.</param>
    public static MeanWithError OfTensor(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var cpu = values.detach().to(float64, CPU).reshape(-1);
        return Of(cpu.data<double>().ToArray());
    }

    /// <summary>"0.7012 ± 0.0103" with <paramref name="digits"/> decimals.</summary>
    public string Format(int digits = 2)
    {
        string format = "F" + digits.ToString(CultureInfo.InvariantCulture);
        return Mean.ToString(format, CultureInfo.InvariantCulture) + " ± " + TwoStandardErrors.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The mean and two standard errors with four decimals, e.g. "0.7012 ± 0.0103".</summary>
    public override string ToString() => Format(4);
}
