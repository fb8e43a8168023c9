using Aem.Model;

namespace Aem.Evaluation;

/// <summary>Settings of <see cref="NormalizerCalibration"/>; defaults are the paper's (§4.2).</summary>
public sealed record CalibrationOptions
{
    /// <summary>Conditionals to test (the paper: 1,000 per task).</summary>
    public int Conditionals { get; init; } = 1000;

    /// <summary>Importance-sample counts S to compare with the quadrature value.</summary>
    public IReadOnlyList<int> SampleSizes { get; init; } = [1, 10, 100, 1_000, 10_000];

    /// <summary>
    /// The normaliser estimators to compare with the quadrature value, each at every S (default: the paper's
    /// independent samples alone).
    /// </summary>
    public IReadOnlyList<NormalizerEstimator> Estimators { get; init; } = [NormalizerEstimator.Iid];

    /// <summary>The quadrature that gives the reference log Z of each conditional (converged to seven figures by default).</summary>
    public TrapezoidOptions Trapezoid { get; init; } = new();

    /// <summary>Each mixture component's support is taken as μ ± this many σ.</summary>
    public double ProposalScales { get; init; } = 10;

    /// <summary>The data range of the dimension is widened by this many times its width on each side.</summary>
    public double DataMargin { get; init; } = 1;

    /// <summary>Seeds the choice of conditionals and contexts and the importance samples.</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting (including the trapezoid's).</summary>
    public void Validate()
    {
        if (Conditionals < 1) throw new ArgumentException($"Conditionals must be at least 1 (got {Conditionals}).", nameof(Conditionals));
        if (SampleSizes.Count == 0 || SampleSizes.Any(s => s < 1))
        {
            throw new ArgumentException($"Sample sizes must be positive (got {string.Join(", ", SampleSizes)}).", nameof(SampleSizes));
        }
        if (Estimators is null || Estimators.Count == 0 || Estimators.Distinct().Count() != Estimators.Count)
        {
            throw new ArgumentException($"Give each normaliser estimator at most once, and at least one (got {string.Join(", ", Estimators ?? [])}).", nameof(Estimators));
        }
        if (!(ProposalScales > 0)) throw new ArgumentException($"ProposalScales must be positive (got {ProposalScales}).", nameof(ProposalScales));
        if (!(DataMargin >= 0)) throw new ArgumentException($"DataMargin must be ≥ 0 (got {DataMargin}).", nameof(DataMargin));
        ArgumentNullException.ThrowIfNull(Trapezoid);
        Trapezoid.Validate();
    }
}
