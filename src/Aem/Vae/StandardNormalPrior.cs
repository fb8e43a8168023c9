using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>The VAE's original prior <c>p(z) = N(z; 0, I)</c>, exact.</summary>
internal sealed class StandardNormalPrior(int features) : ILatentPrior
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();

    public string Name => "Gaussian";

    public int Features { get; } = features;

    public bool IsExact => true;

    public Tensor LogProb(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var logNormaliser = (Features * HalfLogTwoPi).ToScalar();
        return z.pow(Scalars.Two).sum(-1).mul(MinusHalf).sub(logNormaliser).MoveToOuterDisposeScope(); // [N]
    }
}
