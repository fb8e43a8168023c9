using Aem.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// The decoder's mirror of <see cref="DownsamplingBlock"/>: doubles the resolution and halves the
/// channels with transposed convolutions, <c>shortcut(h) + conv₂(elu(convᵀ₁(elu(h))))</c>, where convᵀ₁
/// is a 4×4 transposed convolution of stride 2 (padding 1, exactly ×2), conv₂ a 3×3 convolution (zero at
/// initialisation) and the shortcut a 2×2 transposed convolution of stride 2.
/// </summary>
internal sealed class UpsamplingBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvTranspose2d shortcut;
    private readonly ConvTranspose2d conv1;
    private readonly Conv2d conv2;

    public UpsamplingBlock(int inputChannels, int outputChannels, string name = "upsampling_block") : base(name)
    {
        shortcut = nn.ConvTranspose2d(inputChannels, outputChannels, 2, stride: 2);
        conv1 = nn.ConvTranspose2d(inputChannels, outputChannels, 4, stride: 2, padding: 1);
        conv2 = nn.Conv2d(outputChannels, outputChannels, 3, padding: 1);
        ConvResidualBlock.ZeroInit(conv2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = SafeConvolution.Forward(conv2, Scalars.Elu(SafeConvolution.Forward(conv1, Scalars.Elu(input)))); // [B, C', 2H, 2W]
        return SafeConvolution.Forward(shortcut, input).add(h, Scalars.One).MoveToOuterDisposeScope();
    }
}
