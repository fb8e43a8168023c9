using Aem.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Nn;

/// <summary>
/// Pre-activation residual block (He et al., 2016b): <c>h + L2(dropout(act(L1(act(h)))))</c>.
/// The caller supplies the two layers (plain or masked, same width); <c>L2</c> must start at zero so
/// that the block is the identity at initialisation.
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> linear1;
    private readonly nn.Module<Tensor, Tensor> linear2;
    private readonly double dropoutProbability;
    private readonly Activation activation;

    public ResidualBlock(
        nn.Module<Tensor, Tensor> linear1,
        nn.Module<Tensor, Tensor> linear2,
        Activation activation,
        double dropoutProbability,
        string name = "residual_block") : base(name)
    {
        this.linear1 = linear1;
        this.linear2 = linear2;
        this.activation = activation;
        if (dropoutProbability is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dropoutProbability), dropoutProbability, "Dropout probability must be in [0, 1).");
        }
        this.dropoutProbability = dropoutProbability;
        RegisterComponents();
    }

    internal nn.Module<Tensor, Tensor> First => linear1;

    internal nn.Module<Tensor, Tensor> Second => linear2;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (weight1, bias1) = Parameters(linear1);
        var (weight2, bias2) = Parameters(linear2);
        var x = input.reshape(-1, input.shape[^1]);                               // [R, E]
        // Two-dimensional products with the bias as addmm's initial value: a linear layer on a
        // higher-rank input runs as zero-fill, product and a separate bias pass instead.
        // The first activation must not overwrite the residual stream; later ones work in place on
        // fresh tensors (linear backward needs its input, not its output), saving full-size passes.
        var h = bias1.addmm(activation.Apply(x), weight1.t());                   // [R, E]
        if (training && dropoutProbability > 0)
        {
            using var mask = DropoutMask.Draw(h, dropoutProbability);
            // ReLU commutes with a non-negative mask, so masking the fresh linear output in place
            // saves a full-size tensor; tanh does not, and gets an out-of-place product after it.
            h = activation == Activation.Relu ? h.mul_(mask).relu_() : activation.ApplyInPlace(h).mul(mask);
        }
        else
        {
            h = activation.ApplyInPlace(h);
        }
        // The residual stream plus the bias is the product's initial value, in place: one pass
        // where a separate linear layer and residual add took three.
        return x.add(bias2, Scalars.One).addmm_(h, weight2.t()).reshape(input.shape).MoveToOuterDisposeScope();
    }

    private static (Tensor Weight, Tensor Bias) Parameters(nn.Module<Tensor, Tensor> layer) => layer switch
    {
        Linear linear => (linear.weight!, linear.bias!),
        MaskedLinear masked => (masked.MaskedWeight(), masked.Bias),
        _ => throw new NotSupportedException($"Residual blocks take Linear or MaskedLinear layers, not {layer.GetType().Name}."),
    };

    /// <summary>A block of two unmasked linear layers of width <paramref name="width"/>, the second zeroed.</summary>
    public static ResidualBlock Dense(int width, Activation activation, double dropoutProbability)
    {
        var second = nn.Linear(width, width);
        using (no_grad())
        {
            second.weight!.zero_();
            second.bias!.zero_();
        }
        return new ResidualBlock(nn.Linear(width, width), second, activation, dropoutProbability);
    }

    /// <summary>A block of two masked layers sharing <paramref name="hiddenMask"/>, the second zeroed.</summary>
    public static ResidualBlock Masked(Tensor hiddenMask, Activation activation, double dropoutProbability) =>
        new(new MaskedLinear(hiddenMask), new MaskedLinear(hiddenMask, zeroInit: true), activation, dropoutProbability);
}
