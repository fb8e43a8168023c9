using Aem.Model;
using Aem.Sampling;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Aem.Tests.Sampling;

public class ImportanceResamplerTests(ITestOutputHelper output)
{
    [Fact]
    public void Sample_HasShapeCountByFeatures_AndIsFinite()
    {
        using var model = TestModels.Aem(TestModels.Small(3), seed: 1);
        using var generator = new Generator(2, CPU);
        using var samples = ImportanceResampler.Sample(model, 37, generator: generator, batchSize: 16);
        Assert.Equal(new long[] { 37, 3 }, samples.shape);
        Assert.Equal(ScalarType.Float64, samples.dtype);
        Assert.True(samples.isfinite().all().item<bool>());
        Assert.False(samples.requires_grad);
        // Rows are distinct draws, not copies of one.
        Assert.True(samples.std(0).min().ToDouble() > 0);
    }

    [Fact]
    public void Sample_IsReproducibleWithASeededGenerator()
    {
        using var model = TestModels.Aem(TestModels.Small(3), seed: 3);
        using var g1 = new Generator(4, CPU);
        using var g2 = new Generator(4, CPU);
        using var g3 = new Generator(5, CPU);
        using var a = ImportanceResampler.Sample(model, 20, generator: g1, batchSize: 8);
        using var b = ImportanceResampler.Sample(model, 20, generator: g2, batchSize: 8);
        using var c = ImportanceResampler.Sample(model, 20, generator: g3, batchSize: 8);
        Assert.True(a.Equals(b));
        Assert.False(a.Equals(c));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(10, 4)]
    [InlineData(10, 100)]
    public void Sample_ReturnsExactlyCountRows_ForAnyBatchSize(int count, int batchSize)
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 6);
        using var generator = new Generator(7, CPU);
        using var samples = ImportanceResampler.Sample(model, count, proposalSamples: 10, generator: generator, batchSize: batchSize);
        Assert.Equal(new long[] { count, 2 }, samples.shape);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sample_RestoresTheModelsMode(bool training)
    {
        using var model = TestModels.Aem(TestModels.Small(2, dropout: 0.2), seed: 8);
        model.train(training);
        using var samples = ImportanceResampler.Sample(model, 5, proposalSamples: 10);
        Assert.Equal(training, model.training);
        Assert.All(model.modules(), m => Assert.Equal(training, m.training));
    }

    [Fact]
    public void Samples_FollowTheModelDensity()
    {
        // 1-D model on a uniform proposal over [−30, 30] whose density, normalised by quadrature, is
        // far from the proposal's: resampling must move the samples' distribution to it.
        var options = TestModels.Small(1, ProposalKind.Uniform) with { UniformLow = -30, UniformHigh = 30 };
        using var model = TestModels.Aem(options, seed: 22);
        using var scope = NewDisposeScope();
        var grid = linspace(-30, 30, 12_001, dtype: float64);
        Tensor density;
        using (no_grad())
        {
            var context = model.Conditionals(zeros(1, 1, dtype: float64)).Context;
            var phi = model.EnergyNet.forward(grid.view(1, 1, -1), context).view(-1).exp();
            density = phi / trapz(phi, grid);
        }
        double mean = trapz(density * grid, grid).ToDouble();
        double sd = Math.Sqrt(trapz(density * (grid - mean).square(), grid).ToDouble());
        var cdf = cumulative_trapezoid(density, grid);                                           // at grid[1..]

        using var generator = new Generator(9, CPU);
        const int n = 20_000;
        var samples = ImportanceResampler.Sample(model, n, proposalSamples: 100, generator: generator).view(-1);
        double sampleMean = samples.mean().ToDouble();
        double sampleSd = samples.std().ToDouble();
        // Largest gap between the samples' and the model's distribution function (Kolmogorov–Smirnov).
        var sorted = samples.sort().Values;
        var empirical = searchsorted(sorted, grid.narrow(0, 1, grid.shape[0] - 1), right: true).to(float64) / n;
        double ks = (empirical - cdf).abs().max().ToDouble();
        output.WriteLine($"model mean {mean:F3} sd {sd:F3}; samples mean {sampleMean:F3} sd {sampleSd:F3}; KS {ks:F4}");

        Assert.True(Math.Abs(mean) > 0.3 * sd, "precondition: the model's mean should differ from the proposal's (0)");
        Assert.True(Math.Abs(sd - (60 / Math.Sqrt(12))) > 0.2 * sd, "precondition: the model's spread should differ from the proposal's");
        // SIR with 100 candidates is approximate (bias of order 1/100), plus sampling error of
        // order 1/√n: 0.05 standard deviations and a KS distance of 0.03 are loose but would catch
        // uniform resampling by a wide margin.
        Assert.InRange(sampleMean, mean - (0.05 * sd), mean + (0.05 * sd));
        Assert.InRange(sampleSd, 0.95 * sd, 1.05 * sd);
        Assert.True(ks < 0.03, $"KS distance {ks} too large");
    }
}
