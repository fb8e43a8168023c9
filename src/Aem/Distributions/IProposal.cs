using static TorchSharp.torch;

namespace Aem.Distributions;

/// <summary>
/// A tractable per-conditional proposal <c>q_d</c> for a batch of (b, d) pairs: densities are
/// evaluated and samples drawn independently for each leading index.
/// </summary>
internal interface IProposal
{
    /// <summary><c>log q</c> of <paramref name="values"/> <c>[..., N]</c>; returns <c>[..., N]</c>.</summary>
    Tensor LogProb(Tensor values);

    /// <summary>
    /// <paramref name="count"/> samples per leading index, <c>[..., count]</c>, with no gradient.
    /// Pass a generator for reproducible draws.
    /// </summary>
    Tensor Sample(long count, Generator? generator = null);

    /// <summary>The CDF <c>F(values)</c> of <paramref name="values"/> <c>[..., N]</c>; returns <c>[..., N]</c>.</summary>
    Tensor Cdf(Tensor values);

    /// <summary>
    /// The quantile function <c>F⁻¹(u)</c> of <paramref name="probabilities"/> <c>[..., N]</c> in (0, 1) (float64
    /// recommended: stratified and quadrature normalisers place samples this way); returns <c>[..., N]</c> in the
    /// proposal's dtype, with no gradient.
    /// </summary>
    Tensor Quantile(Tensor probabilities);
}
