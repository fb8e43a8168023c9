using Aem.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// A pre-activation convolutional residual block (He et al., 2016) that keeps the resolution:
/// <c>h + conv₂(elu(conv₁(elu(h))))</c> with 3×3 convolutions. The second convolution starts at zero,
/// so every block is the identity at initialisation and a deep stack trains from the start.
/// </summary>
internal sealed class ConvResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;

    public ConvResidualBlock(int channels, string name = "conv_residual_block") : base(name)
    {
        conv1 = nn.Conv2d(channels, channels, 3, padding: 1);
        conv2 = nn.Conv2d(channels, channels, 3, padding: 1);
        ZeroInit(conv2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = SafeConvolution.Forward(conv2, Scalars.Elu(SafeConvolution.Forward(conv1, Scalars.Elu(input))));
        return input.add(h, Scalars.One).MoveToOuterDisposeScope();
    }

    internal static void ZeroInit(nn.Module<Tensor, Tensor> layer)
    {
        using var noGrad = no_grad();
        foreach (var p in layer.parameters()) p.zero_();
    }
}
