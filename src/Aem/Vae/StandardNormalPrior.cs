using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>The VAE's original prior <c>p(z) = N(z; 0, I)</c>, exact.</summary>
public sealed class StandardNormalPrior(int features) : ILatentPrior
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    public string Name => "Gaussian";

    public int Features { get; } = features;

    public bool IsExact => true;

    public Tensor LogProb(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return z.square().sum(-1).mul(-0.5).sub(Features * HalfLogTwoPi).MoveToOuterDisposeScope(); // [N]
    }
}
