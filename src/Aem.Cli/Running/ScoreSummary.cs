namespace Aem.Cli.Running;

/// <summary>A mean over test points with its standard error (population sd / √n), reported as mean ± 2 SE.</summary>
/// <param name="Mean">Mean log-likelihood, nats per point.</param>
/// <param name="StandardError">Standard error of the mean.</param>
public sealed record ScoreSummary(double Mean, double StandardError)
{
    public double TwoStandardErrors => 2 * StandardError;

    public static ScoreSummary Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("No values to summarise.", nameof(values));
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
        return new ScoreSummary(mean, Math.Sqrt(variance / values.Count));
    }

    public string Format(int digits = 4) => $"{Mean.ToString("F" + digits)} ± {TwoStandardErrors.ToString("F" + digits)}";
}
