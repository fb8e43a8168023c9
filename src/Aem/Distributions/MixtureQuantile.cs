using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Distributions;

/// <summary>
/// The inverse CDF of a mixture of Gaussians, <c>F⁻¹(u)</c> with <c>F(x) = Σ_m π_m Φ((x − μ_m)/σ_m)</c>, for
/// many (conditional, u) pairs at once: a safeguarded Newton iteration (Newton inside a shrinking bracket,
/// bisection when a Newton step leaves it or does not halve the previous step) in float64.
/// </summary>
/// <remarks>
/// The bracket is exact from the start: every component's own u-quantile <c>μ_m + σ_m Φ⁻¹(u)</c> has
/// <c>Φ((x − μ_m)/σ_m) = u</c>, so F ≤ u at the smallest of them and F ≥ u at the largest. Newton works on
/// the log of the tail that holds u — <c>log F(x) − log u</c> below the median, <c>log(1 − u) − log(1 − F(x))</c>
/// above it — which is nearly linear far out in either tail, so a probability of 1e-12 converges as
/// quickly as 0.5, and the tolerance is relative: |F(x)/u − 1| (or the same for 1 − u) at most
/// <see cref="Tolerance"/>.
/// </remarks>
internal static class MixtureQuantile
{
    /// <summary>Relative accuracy of the tail probability at the returned point.</summary>
    public const double Tolerance = 1e-10;

    /// <summary>Enough for bisection alone to cross float64's whole range of a bracket; Newton needs far fewer.</summary>
    private const int MaxIterations = 200;

    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();
    private static readonly Scalar HalfLogTwoPi = (0.5 * Math.Log(2 * Math.PI)).ToScalar();
    private static readonly Scalar ToleranceScalar = Tolerance.ToScalar();
    private static readonly Scalar Smallest = double.Epsilon.ToScalar();
    private static readonly Scalar BelowOne = (1 - Math.Pow(2, -53)).ToScalar();
    private static readonly Scalar MinusOne = (-1.0).ToScalar();
    private static readonly Scalar NaN = double.NaN.ToScalar();

    /// <summary>
    /// Solves <c>F(x) = u</c> for <paramref name="probabilities"/> <c>[..., N]</c> under the mixture with
    /// parameters <c>[..., M]</c>; returns float64 <c>[..., N]</c>.
    /// </summary>
    public static Tensor Solve(Tensor logWeights, Tensor means, Tensor scales, Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logPi = logWeights.detach().to(float64).unsqueeze(-2);                  // [..., 1, M]
        var mu = means.detach().to(float64).unsqueeze(-2);                          // [..., 1, M]
        var sigma = scales.detach().to(float64).unsqueeze(-2);                      // [..., 1, M]
        var logNormalizer = sigma.log().add_(HalfLogTwoPi, Scalars.One);            // log(σ√(2π)), [..., 1, M]
        // u = 0 or 1 would ask for ±∞; one in 2⁵³ stratified draws comes this close.
        var u = probabilities.to(float64).clamp(Smallest, BelowOne);                // [..., N]
        var lower = u.le(Half);                                                     // [..., N]
        var complement = u.neg().add_(Scalars.One, Scalars.One);                    // 1 − u
        var tail = where(lower, u, complement);                                     // the probability in u's own tail
        var logTail = tail.log();
        var standard = special.ndtri(tail);                                         // Φ⁻¹ of the tail, ≤ 0
        var componentQuantiles = mu.add(sigma * where(lower, standard, standard.neg()).unsqueeze(-1), Scalars.One); // [..., N, M]
        var low = componentQuantiles.amin([-1]);                                    // F(low) ≤ u
        var high = componentQuantiles.amax([-1]);                                   // F(high) ≥ u
        var x = low.add(high, Scalars.One).mul_(Half);
        var previousStep = high - low;
        var step = previousStep.clone();
        var sign = where(lower, ones_like(u), full_like(u, MinusOne));                  // tails measured as log F or log(1 − F)
        var signedSign = sign.unsqueeze(-1);                                         // [..., N, 1]
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            using var round = NewDisposeScope();
            var z = x.unsqueeze(-1).sub(mu).div_(sigma);                             // [..., N, M]
            // log of the mixture's mass in u's tail at x: log F(x) below the median, log(1 − F(x)) above.
            var logMass = StandardNormal.LogCdf(z.mul(signedSign)).add_(logPi, Scalars.One).logsumexp(-1); // [..., N]
            var logDensity = z.pow(Scalars.Two).mul_(MinusHalf).sub_(logNormalizer).add_(logPi, Scalars.One).logsumexp(-1);
            // g increases with x in both tails; g' = q(x) / mass.
            var g = logMass.sub(logTail).mul_(sign);                                // [..., N]
            var converged = g.abs().le(ToleranceScalar).logical_or_(g.isnan()).logical_or_(high.le(low));
            if (converged.all().item<bool>()) break;
            low = where(g.lt(Scalars.Zero), x, low).MoveToOuterDisposeScope();
            high = where(g.gt(Scalars.Zero), x, high).MoveToOuterDisposeScope();
            var newton = x - g.mul(logMass.sub(logDensity).exp_());                 // x − g / g'
            var outside = newton.le(low).logical_or_(newton.ge(high)).logical_or_(newton.isnan());
            var slow = (newton - x).abs_().gt(previousStep.abs().mul(Half));
            var bisect = outside.logical_or_(slow);
            var next = where(bisect, low.add(high, Scalars.One).mul_(Half), newton);
            next = where(converged, x, next);
            previousStep = step;
            step = (next - x).MoveToOuterDisposeScope();
            x = next.MoveToOuterDisposeScope();
        }
        // A conditional with non-finite parameters has no quantiles: NaN, as its samples would be.
        var finite = logPi.isfinite().logical_and_(mu.isfinite()).logical_and_(sigma.isfinite()).all(-1); // [..., 1]
        return x.masked_fill(finite.logical_not(), NaN).MoveToOuterDisposeScope();
    }
}
