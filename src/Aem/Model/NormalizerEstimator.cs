namespace Aem.Model;

/// <summary>
/// How the S proposal samples of a conditional's normaliser estimate
/// <c>Ẑ = (1/S) Σ_s φ(x_s) / q(x_s)</c> are placed (the formula is the same for all three). Every Z_d is a
/// one-dimensional integral and the proposal's CDF F is known, so the samples can be spread over F's range
/// instead of drawn independently; measurements in docs/normalizers.md.
/// </summary>
public enum NormalizerEstimator
{
    /// <summary>
    /// Independent draws <c>x_s ~ q</c> (the paper's eq. 8): Ẑ is unbiased, its error falls as 1/√S, and log Ẑ is
    /// biased low (so log p̂ is biased high) by about half Ẑ's relative variance.
    /// </summary>
    Iid,

    /// <summary>
    /// Randomised quasi-Monte Carlo: <c>x_s = F⁻¹((s + U)/S)</c>, s = 0..S−1, one uniform shift U per conditional.
    /// Ẑ stays unbiased (each u is uniform on (0, 1)); for a smooth integrand its error falls as S^(−3/2).
    /// </summary>
    Stratified,

    /// <summary>
    /// The midpoint rule in F's coordinate, <c>x_s = F⁻¹((s + ½)/S)</c>: deterministic, no random draws, error
    /// O(S⁻²) for a smooth integrand; biased (as every quadrature), but with no sampling noise at all.
    /// </summary>
    Quadrature,
}
