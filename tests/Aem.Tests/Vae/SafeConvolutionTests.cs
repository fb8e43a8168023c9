using Aem.Vae;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Aem.Tests.Vae;

/// <summary>
/// libtorch 2.10's oneDNN computes a convolution's input gradient (and a transposed convolution's output)
/// wrongly on CPU when the channel count it reduces over is not a multiple of its SIMD block: ~70 % relative
/// error, and NaN when its uninitialised padding holds one. The VAE's convolutions go through
/// <see cref="SafeConvolution"/>, which must agree with float64 (where oneDNN is not used).
/// </summary>
public class SafeConvolutionTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Conv2dInputGradient_MatchesFloat64(int channels)
    {
        using var generator = new Generator(1, CPU);
        using var conv = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        using (no_grad())
        {
            foreach (var p in conv.parameters()) p.copy_(randn(p.shape, generator: generator));
        }
        using var x = randn([50, channels, 16, 16], generator: generator).requires_grad_(true);
        using var g = randn([50, channels, 16, 16], generator: generator);
        using (var y = SafeConvolution.Forward(conv, x))
        using (var loss = y.mul(g).sum())
        {
            loss.backward();
        }
        using var x64 = x.detach().to(float64).requires_grad_(true);
        using (var y64 = F.conv2d(x64, conv.weight!.detach().to(float64), padding: [1, 1]))
        using (var loss64 = y64.mul(g.to(float64)).sum())
        {
            loss64.backward();
        }
        AssertClose(x.grad!, x64.grad!);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void ConvTranspose2dOutput_MatchesFloat64(int channels)
    {
        using var generator = new Generator(2, CPU);
        using var conv = nn.ConvTranspose2d(channels, channels, 3, padding: 1);
        using (no_grad())
        {
            foreach (var p in conv.parameters()) p.copy_(randn(p.shape, generator: generator));
        }
        using var x = randn([20, channels, 8, 8], generator: generator);
        using var y = SafeConvolution.Forward(conv, x);
        using var y64 = F.conv_transpose2d(x.to(float64), conv.weight!.detach().to(float64), conv.bias!.detach().to(float64), padding: [1, 1]);
        AssertClose(y, y64);
    }

    private static void AssertClose(Tensor actual, Tensor expected)
    {
        using var a = actual.to(float64);
        using var difference = (a - expected).abs().max();
        using var scale = expected.abs().max();
        double relative = difference.ToDouble() / scale.ToDouble();
        Assert.True(relative < 1e-5, $"relative error {relative:G3} against float64");
    }
}
