using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Distributions;

/// <summary>
/// The standard normal's CDF and log-CDF, accurate in the tails. <c>Φ(z) = erfc(−z/√2)/2</c>; <c>log Φ(z)</c> is
/// <c>log1p(−Φ(−z))</c> for z ≥ 0, <c>log Φ(z)</c> down to z = −20, and below that (where Φ nears float64's
/// smallest numbers) the asymptotic series <c>−z²/2 − log(−z) − ½ log 2π + log(1 − z⁻² + 3z⁻⁴ − 15z⁻⁶ + 105z⁻⁸)</c>,
/// whose next term is 3e-12 relative at z = −20.
/// </summary>
/// <remarks>
/// Measured with TorchSharp 0.107 / libtorch 2.10 in float64: <c>special.ndtr(−10)</c> is 0 (Φ(−10) = 7.6e-24:
/// it loses the lower tail below about −8), <c>special.erfcx</c> returns erfc, not the scaled function, and
/// <c>special_log_ndtr</c> is not bound. <c>erfc</c> itself is accurate to its underflow near 26.5.
/// </remarks>
internal static class StandardNormal
{
    private const double SeriesFrom = -20;
    private static readonly Scalar SeriesStart = SeriesFrom.ToScalar();
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar MinusInverseSqrtTwo = (-1 / Math.Sqrt(2)).ToScalar();
    private static readonly Scalar HalfLogTwoPi = (0.5 * Math.Log(2 * Math.PI)).ToScalar();
    private static readonly Scalar ZeroDouble = 0.0.ToScalar();
    private static readonly Scalar Three = 3.0.ToScalar();
    private static readonly Scalar MinusFifteen = (-15.0).ToScalar();
    private static readonly Scalar HundredFive = 105.0.ToScalar();
    private static readonly Scalar MinusOne = (-1.0).ToScalar();

    /// <summary><c>Φ(z)</c>, element-wise, in <paramref name="z"/>'s dtype.</summary>
    public static Tensor Cdf(Tensor z)
    {
        using var scope = NewDisposeScope();
        return z.mul(MinusInverseSqrtTwo).erfc_().mul_(Half).MoveToOuterDisposeScope();
    }

    /// <summary><c>log Φ(z)</c>, element-wise, in <paramref name="z"/>'s dtype.</summary>
    public static Tensor LogCdf(Tensor z)
    {
        using var scope = NewDisposeScope();
        // Each branch sees only its own range, so none overflows or underflows where another is chosen.
        var upperSide = Cdf(z.clamp_min(ZeroDouble).neg()).neg_().log1p_();
        var lowerSide = Cdf(z.clamp(SeriesStart, ZeroDouble)).log_();
        var t = z.clamp_max(SeriesStart);
        var inverseSquare = t.pow(Scalars.Two).reciprocal_();                           // z⁻²
        // 1 − z⁻² + 3z⁻⁴ − 15z⁻⁶ + 105z⁻⁸ by Horner's rule in z⁻².
        var series = inverseSquare.mul(HundredFive).add_(MinusFifteen, Scalars.One).mul_(inverseSquare).add_(Three, Scalars.One)
            .mul_(inverseSquare).add_(MinusOne, Scalars.One).mul_(inverseSquare).log1p_();
        var farTail = t.pow(Scalars.Two).mul_(MinusHalf).sub_(t.neg().log_()).sub_(HalfLogTwoPi).add_(series, Scalars.One);
        var result = where(z.ge(ZeroDouble), upperSide, where(z.ge(SeriesStart), lowerSide, farTail));
        return result.MoveToOuterDisposeScope();
    }
}
