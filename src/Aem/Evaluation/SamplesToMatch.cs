using Aem.Model;

namespace Aem.Evaluation;

/// <summary>
/// How many samples per conditional <paramref name="Estimator"/> needs to be as accurate as independent samples at
/// <paramref name="ReferenceSamples"/>: accuracy is the 95th percentile of |Ẑ/Z − 1| over the calibrated conditionals.
/// </summary>
/// <param name="Estimator">The normaliser compared.</param>
/// <param name="ReferenceSamples">iid's S (the largest measured, e.g. the paper's 20,000).</param>
/// <param name="ReferenceP95Absolute">iid's 95th percentile of |r| at <paramref name="ReferenceSamples"/>.</param>
/// <param name="Samples">The smallest measured S from which on the estimator stays that accurate, or null when no measured S is.</param>
public sealed record SamplesToMatch(NormalizerEstimator Estimator, int ReferenceSamples, double ReferenceP95Absolute, int? Samples)
{
    /// <summary>ReferenceSamples / Samples: how many times fewer energy-network evaluations give the same accuracy (a lower bound: S is taken from the measured grid).</summary>
    public double? FewerEvaluations => Samples is { } s ? (double)ReferenceSamples / s : null;
}
