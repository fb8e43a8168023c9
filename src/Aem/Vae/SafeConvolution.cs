using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Aem.Vae;

/// <summary>
/// The VAE's convolutions, mathematically identical to <c>layer.forward(x)</c> (same parameters, so checkpoints are
/// unchanged), but never handing libtorch's oneDNN a reduced channel count that is not a multiple of 16.
/// </summary>
/// <remarks>
/// libtorch 2.10 (oneDNN 3.7.1) on CPU computes the backward-data pass of a convolution (the input gradient of
/// Conv2d, and the forward pass of ConvTranspose2d) wrongly when the channel count it reduces over (Conv2d output
/// channels, ConvTranspose2d input channels) is not a multiple of the SIMD block (16 on AVX-512, 8 on AVX2): the
/// result is silently wrong (relative error ~0.7), and NaN when the uninitialised channel padding of its blocked
/// weight copy happens to hold a NaN bit pattern. Zero-padding those channels to a multiple of 16 avoids the
/// faulty path; the padded weight rows are constant zeros and receive no gradient.
/// </remarks>
internal static class SafeConvolution
{
    private const long Block = 16;

    /// <summary><c>conv(x, [W; 0], [b; 0])[:, :O]</c>: output channels padded to a multiple of 16.</summary>
    public static Tensor Forward(Conv2d layer, Tensor x)
    {
        long o = layer.out_channels, padded = (o + Block - 1) / Block * Block;
        if (padded == o) return layer.forward(x);
        using var scope = NewDisposeScope();
        var weight = F.pad(layer.weight!, [0, 0, 0, 0, 0, 0, 0, padded - o]);            // [O', C, k, k]
        var bias = layer.bias is null ? null : F.pad(layer.bias, [0, padded - o]);       // [O']
        var y = F.conv2d(x, weight, bias, strides: layer.stride, padding: layer.padding, dilation: layer.dilation, groups: layer.groups);
        return y.narrow(1, 0, o).MoveToOuterDisposeScope();                              // [B, O, H', W']
    }

    /// <summary><c>convᵀ([x, 0], [W; 0])</c>: input channels padded to a multiple of 16.</summary>
    public static Tensor Forward(ConvTranspose2d layer, Tensor x)
    {
        long c = layer.in_channels, padded = (c + Block - 1) / Block * Block;
        if (padded == c) return layer.forward(x);
        using var scope = NewDisposeScope();
        var input = F.pad(x, [0, 0, 0, 0, 0, padded - c]);                               // [B, C', H, W]
        var weight = F.pad(layer.weight!, [0, 0, 0, 0, 0, 0, 0, padded - c]);           // [C', O, k, k]
        return F.conv_transpose2d(input, weight, layer.bias, strides: layer.stride, padding: layer.padding,
            output_padding: layer.output_padding, dilation: layer.dilation, groups: layer.groups).MoveToOuterDisposeScope();
    }
}
