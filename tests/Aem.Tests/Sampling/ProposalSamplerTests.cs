using Aem.Distributions;
using Aem.Model;
using Aem.Sampling;
using Aem.Tests.Figures;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Sampling;

public class ProposalSamplerTests
{
    [Fact]
    public void Samples_HaveTheMixturesMeanAndVariance()
    {
        // D = 1: the only conditional's outputs are constants, so q is one fixed mixture.
        using var model = FigureTestModels.Create(ProposalKind.MixtureOfGaussians, features: 1);
        var mixture = (MixtureOfGaussians)model.Conditionals(zeros([1, 1], dtype: float64)).Proposal;
        var weights = mixture.LogWeights.exp().data<double>().ToArray();
        var means = mixture.Means.data<double>().ToArray();
        var scales = mixture.Scales.data<double>().ToArray();
        double mean = weights.Select((w, m) => w * means[m]).Sum();
        double variance = weights.Select((w, m) => w * ((scales[m] * scales[m]) + (means[m] * means[m]))).Sum() - (mean * mean);

        const int n = 40_000;
        using var generator = new Generator(9, CPU);
        using var samples = ProposalSampler.Sample(model, n, generator);
        double sampleMean = samples.mean().ToDouble();
        double sampleVariance = samples.var().ToDouble();
        Assert.InRange(sampleMean - mean, -5 * Math.Sqrt(variance / n), 5 * Math.Sqrt(variance / n));
        Assert.InRange(sampleVariance / variance, 0.95, 1.05);
    }

    [Fact]
    public void UniformProposal_SamplesCoverTheBoxUniformly()
    {
        using var model = FigureTestModels.Create(ProposalKind.Uniform);
        using var generator = new Generator(4, CPU);
        using var samples = ProposalSampler.Sample(model, 20_000, generator, batchSize: 3000);
        Assert.Equal([20_000L, 2L], samples.shape);
        Assert.True(samples.ge(-4).all().ToBoolean() && samples.le(4).all().ToBoolean());
        using var variance = samples.var([0]);
        foreach (double v in variance.data<double>().ToArray()) Assert.InRange(v, 64 / 12.0 * 0.95, 64 / 12.0 * 1.05);
    }
}
