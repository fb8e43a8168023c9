using Aem.Model;

namespace Aem.Evaluation;

/// <summary>
/// Test log-likelihoods (nats, mean ± 2 SE over the scored points), as a row set of the paper's Table 1.
/// </summary>
/// <param name="Aem">The AEM with S importance samples per conditional.</param>
/// <param name="Proposal">The proposal (ResMADE-MoG, or the fixed uniform) alone.</param>
/// <param name="Kde">AEM-KDE at the selected (h, λ), or null if not requested.</param>
/// <param name="KdeSelection">How (h, λ) were chosen, or null.</param>
/// <param name="Samples">S.</param>
/// <param name="Points">Test points scored.</param>
/// <param name="TotalPoints">Test points available (Points &lt; TotalPoints under <c>--max-points</c>).</param>
public sealed record TestEvaluationReport(
    MeanWithError Aem,
    MeanWithError Proposal,
    MeanWithError? Kde,
    KdeSelection? KdeSelection,
    int Samples,
    long Points,
    long TotalPoints)
{
    /// <summary>How each conditional's S samples were placed.</summary>
    public NormalizerEstimator Normalizer { get; init; } = NormalizerEstimator.Iid;

    /// <summary>The full-covariance Gaussian baseline on the same points, when one was given.</summary>
    public MeanWithError? Gaussian { get; init; }

    /// <summary>How trustworthy the normalisers were: the points' smallest effective sample sizes (null with AEM-KDE).</summary>
    public EffectiveSampleSizeSummary? MinEffectiveSampleSize { get; init; }

    /// <summary>
    /// Points outside the proposal's support (a uniform proposal's box), where the model's density is zero
    /// and the log-likelihood −∞ (see <see cref="Model.ProposalKind.Uniform"/>); they make the means −∞.
    /// </summary>
    public long OutsideSupport { get; init; }
}
