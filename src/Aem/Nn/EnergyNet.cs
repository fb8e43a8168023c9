using Aem.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Aem.Nn;

/// <summary>
/// The energy network (ENN, paper §3.1): one residual MLP shared by all dimensions that maps a value
/// <c>x_d</c> and its context <c>γ_d</c> to <c>log φ(x_d; γ_d) = −softplus(·) ≤ 0</c>, the negative energy.
/// The first layer is a (1+K)→E linear map on <c>[value, γ]</c>; its context part is computed once per
/// (b, d) and broadcast over the values instead of concatenating copies of γ (same numbers, far less work).
/// </summary>
internal sealed class EnergyNet : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear input;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly Linear output;
    private readonly Activation activation;

    // One shared scalar: a Scalar made per call would wait for the finaliser to be freed.
    private static readonly Scalar One = 1.0.ToScalar();

    public EnergyNet(
        int contextFeatures,
        int hiddenFeatures = 128,
        int blocks = 4,
        double dropoutProbability = 0.0,
        Activation activation = Activation.Relu,
        string name = "energy_net") : base(name)
    {
        ContextFeatures = contextFeatures;
        this.activation = activation;
        input = nn.Linear(1 + contextFeatures, hiddenFeatures);
        this.blocks = new ModuleList<ResidualBlock>(
            Enumerable.Range(0, blocks).Select(_ => ResidualBlock.Dense(hiddenFeatures, activation, dropoutProbability)).ToArray());
        output = nn.Linear(hiddenFeatures, 1);
        RegisterComponents();
    }

    public int ContextFeatures { get; }

    /// <summary>
    /// <c>log φ</c> for <paramref name="values"/> <c>[..., N]</c> under contexts <paramref name="context"/>
    /// <c>[..., K]</c> (leading shapes equal); returns <c>[..., N]</c>.
    /// </summary>
    public override Tensor forward(Tensor values, Tensor context)
    {
        using var scope = NewDisposeScope();
        var weight = input.weight!;
        var valueWeight = weight.select(1, 0);                                   // [E]
        var contextWeight = weight.narrow(1, 1, ContextFeatures);                // [E, K]
        var contextPart = F.linear(context, contextWeight, input.bias!).unsqueeze(-2); // [..., 1, E]
        var h = addcmul(contextPart, values.unsqueeze(-1), valueWeight, One);    // [..., N, E]
        foreach (var block in blocks) h = block.forward(h);
        // h is the last block's fresh sum, read by nothing else: activate it in place.
        var raw = output.forward(activation.ApplyInPlace(h)).squeeze(-1);        // [..., N]
        return Scalars.NegativeSoftplus(raw).MoveToOuterDisposeScope();            // −softplus(raw)
    }
}
