namespace Aem.Vae;

/// <summary>A sample mean and two standard errors of it, <c>2·s/√n</c> (s the sample standard deviation).</summary>
public sealed record MeanWithError(double Mean, double TwoStandardErrors, int Count)
{
    public static MeanWithError Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0) return new MeanWithError(double.NaN, double.NaN, 0);
        double mean = values.Average();
        double variance = n > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (n - 1) : double.NaN;
        return new MeanWithError(mean, 2 * Math.Sqrt(variance / n), n);
    }

    public override string ToString() => FormattableString.Invariant($"{Mean:F2} ± {TwoStandardErrors:F2}");
}
