namespace Aem.Evaluation;

/// <summary>
/// The AEM-KDE settings chosen on the validation split (paper §4.3): the (h, λ) pair with the highest mean
/// validation log-likelihood over a grid.
/// </summary>
/// <param name="Bandwidth">Chosen kernel bandwidth h (model units).</param>
/// <param name="ProposalWeight">Chosen proposal weight λ.</param>
/// <param name="Score">Validation log-likelihood at the chosen setting.</param>
/// <param name="Bandwidths">The bandwidth grid searched.</param>
/// <param name="ProposalWeights">The λ grid searched.</param>
/// <param name="MeanScores">Mean validation log-likelihood, <c>MeanScores[h index][λ index]</c>.</param>
/// <param name="Points">Validation points used.</param>
/// <param name="Samples">Importance samples per conditional used in the search.</param>
public sealed record KdeSelection(
    double Bandwidth,
    double ProposalWeight,
    MeanWithError Score,
    IReadOnlyList<double> Bandwidths,
    IReadOnlyList<double> ProposalWeights,
    IReadOnlyList<IReadOnlyList<double>> MeanScores,
    long Points,
    int Samples)
{
    /// <summary>True when the chosen h is the smallest or largest in the grid: widen the grid and search again.</summary>
    public bool BandwidthAtGridEdge =>
        Bandwidths.Count > 1 && (Bandwidth == Bandwidths.Min() || Bandwidth == Bandwidths.Max());

    /// <summary>True when the chosen λ is the smallest or largest in the grid.</summary>
    public bool ProposalWeightAtGridEdge =>
        ProposalWeights.Count > 1 && (ProposalWeight == ProposalWeights.Min() || ProposalWeight == ProposalWeights.Max());
}
