using Aem.Model;

namespace Aem.Evaluation;

/// <summary>The outcome of <see cref="NormalizerCalibration.Run"/>.</summary>
/// <param name="SampleSizes">The S values.</param>
/// <param name="Conditionals">Every conditional tested.</param>
/// <param name="Summaries">Relative-error percentiles per (estimator, S) over the converged conditionals, in the order of <see cref="CalibrationConditional.LogZHat"/>.</param>
public sealed record CalibrationResult(
    IReadOnlyList<int> SampleSizes,
    IReadOnlyList<CalibrationConditional> Conditionals,
    IReadOnlyList<RelativeErrorSummary> Summaries)
{
    /// <summary>
    /// The estimators compared, in the order of <see cref="CalibrationConditional.LogZHat"/>: estimator-major, so
    /// estimate k is estimator <c>k / SampleSizes.Count</c> at S = <c>SampleSizes[k % SampleSizes.Count]</c>.
    /// </summary>
    public IReadOnlyList<NormalizerEstimator> Estimators { get; init; } = [NormalizerEstimator.Iid];

    /// <summary>Conditionals whose quadrature did not reach the tolerance (left out of the summaries).</summary>
    public int NotConverged => Conditionals.Count(c => !c.Converged);

    /// <summary>The index into <see cref="CalibrationConditional.LogZHat"/> of <paramref name="estimator"/> at sample-size index <paramref name="size"/>.</summary>
    public int Index(NormalizerEstimator estimator, int size)
    {
        int e = Estimators.ToList().IndexOf(estimator);
        if (e < 0) throw new ArgumentException($"The calibration did not compare {estimator}.", nameof(estimator));
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(size, SampleSizes.Count);
        return (e * SampleSizes.Count) + size;
    }

    /// <summary>
    /// The smallest S of <see cref="SampleSizes"/> from which on <paramref name="estimator"/>'s 95th percentile of |r|
    /// stays at or below <paramref name="p95Absolute"/> at every larger S measured, or null when it does not (a
    /// percentile that dips below the target once and rises again does not count): the cost, in energy-network
    /// evaluations per conditional, of reaching that accuracy on 95 % of the conditionals.
    /// </summary>
    public int? SamplesToReach(NormalizerEstimator estimator, double p95Absolute)
    {
        var ordered = Summaries.Where(s => s.Estimator == estimator).OrderBy(s => s.Samples).ToArray();
        int? reached = null;
        for (int k = ordered.Length - 1; k >= 0 && ordered[k].P95Absolute <= p95Absolute; k--) reached = ordered[k].Samples;
        return reached;
    }

    /// <summary>
    /// For each estimator, the S it needs to match the 95th percentile of |r| that independent samples reach at their
    /// largest S, and the ratio of the two (fewer evaluations for the same accuracy); empty without an iid summary.
    /// </summary>
    public IReadOnlyList<SamplesToMatch> SamplesToMatchIid()
    {
        if (Summaries.Where(s => s.Estimator == NormalizerEstimator.Iid).MaxBy(s => s.Samples) is not { } reference) return [];
        return Estimators.Select(e => new SamplesToMatch(e, reference.Samples, reference.P95Absolute, SamplesToReach(e, reference.P95Absolute))).ToArray();
    }

    /// <summary>Relative errors r = expm1(log Ẑ − log Z) of the converged conditionals for estimate <paramref name="index"/> (see <see cref="Index"/>).</summary>
    public double[] RelativeErrors(int index) =>
        Conditionals.Where(c => c.Converged).Select(c => Math.Exp(c.LogZHat[index] - c.LogZ) - 1).ToArray();
}
