namespace Aem.Evaluation;

/// <summary>
/// What a summary "mean ± 2 SE" needs of a set of values, in a form that combines: the count, the mean and
/// the sum of squared deviations from the mean (M2). Shards of a scoring job each record theirs, and
/// <see cref="Combine"/> (Chan, Golub and LeVeque's pairwise update) gives the statistics of the union to
/// floating-point rounding without the values. The merged result of <c>aem merge</c> is computed from the
/// values themselves and is exact; these let a reader check a shard, or the whole, from headers alone.
/// </summary>
/// <param name="Count">n.</param>
/// <param name="Mean">The mean (0 when n = 0).</param>
/// <param name="SumOfSquaredDeviations">Σ (x − mean)², M2 (0 when n = 0).</param>
public sealed record SufficientStatistics(long Count, double Mean, double SumOfSquaredDeviations)
{
    /// <summary>No values.</summary>
    public static SufficientStatistics Empty { get; } = new(0, 0, 0);

    /// <summary>The statistics of <paramref name="values"/>, with the two-pass sums <see cref="MeanWithError.Of"/> uses.</summary>
    public static SufficientStatistics Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return Empty;
        double mean = values.Average();
        return new SufficientStatistics(values.Count, mean, values.Sum(v => (v - mean) * (v - mean)));
    }

    /// <summary>The statistics of the union of two disjoint sets of values.</summary>
    public static SufficientStatistics Combine(SufficientStatistics a, SufficientStatistics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0) return b;
        if (b.Count == 0) return a;
        long n = a.Count + b.Count;
        double delta = b.Mean - a.Mean;
        double mean = a.Mean + (delta * b.Count / n);
        double m2 = a.SumOfSquaredDeviations + b.SumOfSquaredDeviations + (delta * delta * a.Count / n * b.Count);
        return new SufficientStatistics(n, mean, m2);
    }

    /// <summary>Mean ± 2 SE with the population variance M2 / n, as <see cref="MeanWithError.Of"/> reports it.</summary>
    public MeanWithError ToMeanWithError()
    {
        if (Count == 0) throw new InvalidOperationException("Cannot summarise an empty set of values.");
        return new MeanWithError(Mean, Math.Sqrt(SumOfSquaredDeviations / Count / Count), Count);
    }
}
