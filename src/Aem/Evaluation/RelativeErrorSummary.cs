using Aem.Model;

namespace Aem.Evaluation;

/// <summary>
/// Percentiles, over conditionals, of the relative error <c>r = Ẑ/Z − 1 = expm1(log Ẑ − log Z)</c> of the
/// importance-sampling normaliser with <paramref name="Samples"/> samples (paper fig. 5). Negative r is an
/// underestimate of Z, which is how importance sampling fails when q misses mass.
/// </summary>
/// <param name="Samples">S.</param>
/// <param name="Count">Conditionals summarised (converged quadratures only).</param>
/// <param name="P5">5th percentile of r.</param>
/// <param name="P50">Median of r.</param>
/// <param name="P95">95th percentile of r.</param>
/// <param name="MedianAbsolute">Median of |r|.</param>
public sealed record RelativeErrorSummary(int Samples, int Count, double P5, double P50, double P95, double MedianAbsolute)
{
    /// <summary>How the S samples were placed.</summary>
    public NormalizerEstimator Estimator { get; init; } = NormalizerEstimator.Iid;

    /// <summary>5th percentile of |r|.</summary>
    public double P5Absolute { get; init; }

    /// <summary>95th percentile of |r|: the accuracy the estimator reaches on 95 % of the conditionals.</summary>
    public double P95Absolute { get; init; }
}
