using Aem.Evaluation;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class LogLikelihoodEstimatorTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Estimate_GivesIdenticalNumbers_ForAnyNumberOfWorkers(int workers)
    {
        // Each batch of points has its own generator, so sharing batches among threads changes nothing.
        using var model = TestModels.Aem(TestModels.Small(3), seed: 5);
        using var x = randn([37, 3], dtype: float64, generator: new Generator(1, CPU));
        // 128 rows per energy call: batches of one point, and several sample chunks per point.
        using var g1 = new Generator(9, CPU);
        using var g2 = new Generator(9, CPU);
        using var alone = LogLikelihoodEstimator.Estimate(model, x, samples: 200, g1, maxRows: 128, workers: 1);
        using var shared = LogLikelihoodEstimator.Estimate(model, x, samples: 200, g2, maxRows: 128, workers: workers);
        Assert.True(alone.LogDensity.Equals(shared.LogDensity));
        Assert.True(alone.LogNormalizer.Equals(shared.LogNormalizer));
        Assert.True(alone.LogProposalPerFeature.Equals(shared.LogProposalPerFeature));
    }

    [Fact]
    public void Estimate_DependsOnTheGeneratorsSeed()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 5);
        using var x = randn([5, 2], dtype: float64, generator: new Generator(1, CPU));
        using var a = LogLikelihoodEstimator.Estimate(model, x, samples: 50, new Generator(1, CPU), workers: 2);
        using var b = LogLikelihoodEstimator.Estimate(model, x, samples: 50, new Generator(2, CPU), workers: 2);
        Assert.False(a.LogNormalizer.Equals(b.LogNormalizer));
        // The data terms use no samples.
        Assert.True(a.LogProposal.Equals(b.LogProposal));
    }

    [Fact]
    public void Estimate_ReportsAWorkersFailure_AndRestoresTheThreadCount()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 5);
        using var wrongWidth = zeros([6, 3], dtype: float64);
        int threads = get_num_threads();
        var error = Assert.Throws<ArgumentException>(() =>
            LogLikelihoodEstimator.Estimate(model, wrongWidth, samples: 10, new Generator(1, CPU), maxRows: 16, workers: 2));
        Assert.Contains("[B, 2]", error.Message, StringComparison.Ordinal);
        Assert.Equal(threads, get_num_threads());
        Assert.True(model.training, "the model's training mode should be restored after a failure too");
    }
}
