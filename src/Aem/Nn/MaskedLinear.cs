using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Aem.Nn;

/// <summary>
/// A linear layer whose weight is multiplied by a fixed binary mask in every forward pass, so masked
/// weights never influence the output and receive exactly zero gradient (MADE, Germain et al., 2015).
/// Initialisation is PyTorch's default for <c>nn.Linear</c>; <c>zeroInit</c> sets weight and
/// bias to zero (the second layer of a residual block starts as the identity).
/// </summary>
internal sealed class MaskedLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor mask;

    public MaskedLinear(Tensor mask, bool zeroInit = false, string name = "masked_linear") : base(name)
    {
        long outFeatures = mask.shape[0], inFeatures = mask.shape[1];
        using (var reference = nn.Linear(inFeatures, outFeatures))
        {
            weight = new Parameter(zeroInit ? zeros(outFeatures, inFeatures) : reference.weight!.detach().clone());
            bias = new Parameter(zeroInit ? zeros(outFeatures) : reference.bias!.detach().clone());
        }
        this.mask = mask.detach().clone();
        RegisterComponents();
    }

    public long InFeatures => mask.shape[1];

    public long OutFeatures => mask.shape[0];

    /// <summary>The mask as a [out, in] tensor (a copy is not made; do not modify).</summary>
    public Tensor Mask => mask;

    /// <summary>The effective weight, <c>weight ⊙ mask</c> (a new tensor in the autograd graph).</summary>
    internal Tensor MaskedWeight() => weight * mask;

    internal Tensor Bias => bias;

    public override Tensor forward(Tensor input) => F.linear(input, MaskedWeight(), bias);
}
