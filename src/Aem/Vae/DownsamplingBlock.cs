using Aem.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// A strided residual block that halves the resolution and doubles the channels:
/// <c>shortcut(h) + conv₂(elu(conv₁(elu(h))))</c>, where conv₁ is a 3×3 convolution of stride 2,
/// conv₂ a 3×3 convolution (zero at initialisation) and the shortcut a 1×1 convolution of stride 2.
/// </summary>
internal sealed class DownsamplingBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d shortcut;
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;

    public DownsamplingBlock(int inputChannels, int outputChannels, string name = "downsampling_block") : base(name)
    {
        shortcut = nn.Conv2d(inputChannels, outputChannels, 1, stride: 2);
        conv1 = nn.Conv2d(inputChannels, outputChannels, 3, stride: 2, padding: 1);
        conv2 = nn.Conv2d(outputChannels, outputChannels, 3, padding: 1);
        ConvResidualBlock.ZeroInit(conv2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = SafeConvolution.Forward(conv2, Scalars.Elu(SafeConvolution.Forward(conv1, Scalars.Elu(input)))); // [B, C', H/2, W/2]
        return SafeConvolution.Forward(shortcut, input).add(h, Scalars.One).MoveToOuterDisposeScope();
    }
}
