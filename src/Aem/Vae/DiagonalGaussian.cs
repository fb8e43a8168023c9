using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// A Gaussian with diagonal covariance for each row, <c>N(z; μ, diag(exp(log σ²)))</c>: the VAE's
/// approximate posterior q(z|x). Parameters are <c>[B, L]</c>.
/// </summary>
internal sealed record DiagonalGaussian(Tensor Mean, Tensor LogVariance)
{
    private static readonly Scalar HalfLogTwoPi = (0.5 * Math.Log(2 * Math.PI)).ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();

    /// <summary>
    /// <paramref name="count"/> reparameterised draws per row, <c>z = μ + σ·ε</c>, <c>[B, count, L]</c>;
    /// gradients flow to μ and log σ² (Kingma &amp; Welling, 2014).
    /// </summary>
    public Tensor Sample(long count, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        long b = Mean.shape[0], l = Mean.shape[1];
        var noise = randn([b, count, l], dtype: Mean.dtype, device: Mean.device, generator: generator);
        var std = LogVariance.mul(Half).exp().unsqueeze(1);                       // [B, 1, L]
        return Mean.unsqueeze(1).add(std.mul(noise), Scalars.One).MoveToOuterDisposeScope(); // [B, count, L]
    }

    /// <summary><c>log q(z)</c> of <paramref name="z"/> <c>[B, K, L]</c>, summed over L: <c>[B, K]</c>.</summary>
    public Tensor LogProb(Tensor z)
    {
        using var scope = NewDisposeScope();
        var mean = Mean.unsqueeze(1);                                              // [B, 1, L]
        var logVariance = LogVariance.unsqueeze(1);
        var squared = (z - mean).pow(Scalars.Two) * logVariance.neg().exp();
        var perLatent = squared.add(logVariance, Scalars.One).mul(MinusHalf).sub(HalfLogTwoPi); // [B, K, L]
        return perLatent.sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary><c>KL(q ‖ N(0, I)) = ½ Σ (μ² + σ² − log σ² − 1)</c>, in closed form, <c>[B]</c>.</summary>
    public Tensor KlToStandardNormal()
    {
        using var scope = NewDisposeScope();
        var perLatent = Mean.pow(Scalars.Two).add(LogVariance.exp(), Scalars.One).sub(LogVariance).sub(Scalars.One);
        return perLatent.sum(-1).mul(Half).MoveToOuterDisposeScope();
    }
}
