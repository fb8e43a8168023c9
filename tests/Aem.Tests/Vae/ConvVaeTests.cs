using Aem.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Vae;

public sealed class ConvVaeTests
{
    [Fact]
    public void DefaultOptions_AreThePapersMnistArchitecture()
    {
        var options = new VaeOptions();

        Assert.Equal(32, options.Latents);
        Assert.Equal(32, options.PaddedSize);
        Assert.Equal(4, options.BottomSize);
        Assert.Equal(128, options.BottomChannels);
    }

    [Fact]
    public void EncodeAndDecode_HaveTheImageAndLatentShapes()
    {
        random.manual_seed(1);
        var vae = new ConvVae(new VaeOptions { Channels = 4 });
        using var x = bernoulli(full([3, 1, 28, 28], 0.3));

        var posterior = vae.Encode(x);
        using var logits = vae.Decode(posterior.Mean);
        using var logLikelihood = vae.LogLikelihood(x, posterior.Sample(5));

        Assert.Equal(new long[] { 3, 32 }, posterior.Mean.shape);
        Assert.Equal(new long[] { 3, 32 }, posterior.LogVariance.shape);
        Assert.Equal(new long[] { 3, 1, 28, 28 }, logits.shape);
        Assert.Equal(new long[] { 3, 5 }, logLikelihood.shape);
    }

    [Fact]
    public void LogLikelihood_IsTheSumOfPixelBernoulliLogProbabilities()
    {
        random.manual_seed(2);
        var vae = new ConvVae(new VaeOptions { Latents = 2, Channels = 2, Downsamplings = 1, ImageSize = 5 });
        vae.to(float64);
        using var x = bernoulli(full([2, 1, 5, 5], 0.5, dtype: float64), new Generator(3, CPU));
        using var z = randn([2, 3, 2], dtype: float64, generator: new Generator(4, CPU));

        var logLikelihood = vae.LogLikelihood(x, z).data<double>().ToArray();

        var pixels = x.reshape(2, 25).data<double>().ToArray();
        for (int b = 0; b < 2; b++)
        {
            for (int k = 0; k < 3; k++)
            {
                var logits = vae.Decode(z[b, k].unsqueeze(0)).reshape(25).data<double>().ToArray();
                double expected = 0;
                for (int i = 0; i < 25; i++)
                {
                    double p = 1 / (1 + Math.Exp(-logits[i]));
                    expected += pixels[(b * 25) + i] == 1 ? Math.Log(p) : Math.Log(1 - p);
                }
                Assert.Equal(expected, logLikelihood[(b * 3) + k], 9);
            }
        }
    }

    [Fact]
    public void Posterior_OfAnImage_DoesNotDependOnTheRestOfTheBatch()
    {
        random.manual_seed(3);
        var vae = new ConvVae(new VaeOptions { Latents = 3, Channels = 2, Downsamplings = 2, ImageSize = 8 });
        vae.to(float64);
        using var x = bernoulli(full([4, 1, 8, 8], 0.5, dtype: float64), new Generator(5, CPU));

        var together = vae.Encode(x).Mean;
        var alone = vae.Encode(x.narrow(0, 2, 1)).Mean;

        Assert.True(together[2].allclose(alone[0], rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void WrongImageShape_IsRefusedWithTheExpectedShape()
    {
        var vae = new ConvVae(new VaeOptions { Channels = 2 });
        using var x = zeros([2, 784]);

        var error = Assert.Throws<ArgumentException>(() => vae.Encode(x));

        Assert.Contains("[B, 1, 28, 28]", error.Message, StringComparison.Ordinal);
    }
}
