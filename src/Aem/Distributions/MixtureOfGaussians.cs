using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Aem.Distributions;

/// <summary>
/// A mixture of M univariate Gaussians for each leading index:
/// <c>q(x) = Σ_m π_m N(x; μ_m, σ_m²)</c>, <c>π = softmax(logits)</c>, <c>σ = minScale + softplus(raw)</c>
/// (the AEM paper's proposal, appendix B). Parameters are <c>[..., M]</c>.
/// </summary>
internal sealed class MixtureOfGaussians : IProposal
{
    // Shared scalars: a Scalar converted implicitly per call is freed only by the finaliser (in
    // large-S evaluation millions of them fragmented the native heap), possibly mid-call (see Scalars).
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();
    private static readonly Scalar HalfLogTwoPi = (0.5 * Math.Log(2 * Math.PI)).ToScalar();
    private static readonly Scalar NaN = double.NaN.ToScalar();

    public MixtureOfGaussians(Tensor logits, Tensor means, Tensor rawScales, double minScale = 1e-3)
    {
        if (!logits.shape.SequenceEqual(means.shape) || !logits.shape.SequenceEqual(rawScales.shape))
        {
            throw new ArgumentException(
                $"Mixture parameters must share a shape; got logits {Shape(logits)}, means {Shape(means)}, raw scales {Shape(rawScales)}.");
        }
        LogWeights = F.log_softmax(logits, -1);
        Means = means;
        using var floor = minScale.ToScalar();
        Scales = Scalars.NegativeSoftplus(rawScales).neg_().add_(floor, Scalars.One); // softplus(raw) + floor
    }

    /// <summary><c>log π</c>, <c>[..., M]</c>.</summary>
    public Tensor LogWeights { get; }

    /// <summary><c>μ</c>, <c>[..., M]</c>.</summary>
    public Tensor Means { get; }

    /// <summary><c>σ</c>, <c>[..., M]</c>.</summary>
    public Tensor Scales { get; }

    public Tensor LogProb(Tensor values)
    {
        using var scope = NewDisposeScope();
        var x = values.unsqueeze(-1);                                        // [..., N, 1]
        var z = (x - Means.unsqueeze(-2)) / Scales.unsqueeze(-2);            // [..., N, M]
        var logNormal = z.pow(Scalars.Two).mul_(MinusHalf).sub_(Scales.log().unsqueeze(-2)).sub_(HalfLogTwoPi);
        return logNormal.add(LogWeights.unsqueeze(-2), Scalars.One).logsumexp(-1).MoveToOuterDisposeScope(); // [..., N]
    }

    public Tensor Sample(long count, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var leading = LogWeights.shape[..^1];
        long components = LogWeights.shape[^1];
        var probabilities = LogWeights.detach().exp().reshape(-1, components);               // [R, M]
        // Non-finite parameters (NaN inputs, overflowed weights) must give NaN samples, which the
        // caller sees as a non-finite loss, not a libtorch error from multinomial.
        var finite = probabilities.isfinite().all(-1, keepdim: true);                        // [R, 1]
        probabilities = probabilities.where(finite, 1.0);
        var index = multinomial(probabilities, count, replacement: true, generator: generator); // [R, count]
        var means = Means.detach().reshape(-1, components).gather(1, index);
        var scales = Scales.detach().reshape(-1, components).gather(1, index);
        var noise = randn(means.shape, dtype: means.dtype, device: means.device, generator: generator);
        var samples = means.add(scales * noise, Scalars.One).masked_fill(finite.logical_not(), NaN);
        return samples.reshape([.. leading, count]).MoveToOuterDisposeScope();                // [..., count]
    }

    public Tensor Cdf(Tensor values)
    {
        using var scope = NewDisposeScope();
        var z = values.to(float64).unsqueeze(-1).sub(Means.to(float64).unsqueeze(-2)).div_(Scales.to(float64).unsqueeze(-2)); // [..., N, M]
        return StandardNormal.Cdf(z).mul_(LogWeights.to(float64).exp().unsqueeze(-2)).sum(-1).to(values.dtype).MoveToOuterDisposeScope(); // [..., N]
    }

    /// <summary>
    /// <c>F⁻¹(u)</c> by a safeguarded Newton iteration in float64 (<see cref="MixtureQuantile"/>): the tail
    /// probability at the result is within a relative 1e-10 of u's (or 1 − u's), components of scale 1e-3 included.
    /// </summary>
    public Tensor Quantile(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        return MixtureQuantile.Solve(LogWeights, Means, Scales, probabilities).to(Means.dtype).MoveToOuterDisposeScope();
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
