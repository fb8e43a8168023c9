using Aem.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Vae;

public sealed class AggregatePosteriorTests
{
    [Fact]
    public void Sample_DrawsFromTheMixtureOfPosteriors()
    {
        // Binary images used as they are: the aggregate posterior is the equal mixture of the posteriors
        // of the 8 patterns, so its mean is their mean and its variance the law of total variance.
        var model = new TinyBernoulliModel();
        var patterns = tensor(Enumerable.Range(0, 8).SelectMany(p => new double[] { (p >> 0) & 1, (p >> 1) & 1, (p >> 2) & 1 }).ToArray(), [8, 3], dtype: float64);
        using var images = patterns.repeat(50, 1);                                 // [400, 3]

        using var z = AggregatePosterior.Sample(model, images, encodings: 2, samplesPerEncoding: 100, seed: 3, binarize: false, batchSize: 64);

        Assert.Equal(new long[] { 400 * 2 * 100, 1 }, z.shape);
        var posterior = model.Encode(patterns);
        double mixtureMean = posterior.Mean.mean().ToDouble();
        double mixtureVariance = posterior.LogVariance.exp().mean().ToDouble() + posterior.Mean.var(0, unbiased: false).ToDouble();
        Assert.Equal(mixtureMean, z.mean().ToDouble(), 2e-2);
        Assert.Equal(mixtureVariance, z.var(0).ToDouble(), 2e-2);
    }

    [Fact]
    public void Sample_IsAFunctionOfTheSeed()
    {
        var model = new TinyBernoulliModel();
        using var grey = full([20, 3], 0.5, dtype: float64);

        using var a = AggregatePosterior.Sample(model, grey, seed: 4);
        using var b = AggregatePosterior.Sample(model, grey, seed: 4);
        using var c = AggregatePosterior.Sample(model, grey, seed: 5);

        Assert.True(a.Equals(b));
        Assert.False(a.Equals(c));
    }
}
