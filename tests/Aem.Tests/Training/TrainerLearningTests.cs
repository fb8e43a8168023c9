using Aem.Data;
using Aem.Evaluation;
using Aem.Model;
using Aem.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Aem.Tests.Training;

/// <summary>
/// Training improves held-out log-likelihood well beyond the proposal's. The task is "diamond" with
/// the fixed uniform proposal U(−4, 4)², whose score −log 64 is the starting point. (Checkerboard
/// was measured too: its marginals are uniform, so the model can only improve on the proposal once
/// the context has learnt the parity of ⌊x1⌋; with this budget that plateau lasted 300–500 steps,
/// depending on the seed, which makes a poor test.)
/// </summary>
public class TrainerLearningTests(ITestOutputHelper output)
{
    [Fact]
    public void Training_ImprovesHeldOutLogLikelihood_WellBeyondTheProposal()
    {
        var options = new AemOptions
        {
            Features = 2,
            HiddenFeatures = 64,
            ContextFeatures = 8,
            EnergyHiddenFeatures = 64,
            ResMadeBlocks = 2,
            EnergyBlocks = 2,
            Proposal = ProposalKind.Uniform,
        };
        // float32, as in real training; the paper's zero-initialised layers are kept.
        using var model = TestModels.Aem(options, seed: 1, keepZeros: true, dtype: ScalarType.Float32);
        using var train = Synthetic2D.GenerateTensor("diamond", 20_000, 1);
        using var test = Synthetic2D.GenerateTensor("diamond", 2_000, 2);
        using var trainer = Aem.Tests.Training.TestTrainers.Aem(model, new TrainerOptions { BatchSize = 128, Steps = 300, LearningRate = 2e-3, ValidateEvery = 0, Seed = 1 });
        var result = trainer.Run(train);
        Assert.Equal(StopReason.Completed, result.Reason);

        using var generator = new Generator(3, CPU);
        using var estimate = LogLikelihoodEstimator.Estimate(model, test, samples: 500, generator);
        double logLikelihood = estimate.LogDensity.mean().ToDouble();
        double proposal = estimate.LogProposal.mean().ToDouble();
        output.WriteLine($"held-out log-likelihood {logLikelihood:F3} nats; proposal {proposal:F3}");
        Assert.Equal(-Math.Log(64), proposal, 1e-5);
        // Measured: −3.36 (+0.80 nats) with this seed and −3.38 with another.
        Assert.True(logLikelihood > proposal + 0.5, $"log-likelihood {logLikelihood:F3} is not 0.5 nats above the proposal's {proposal:F3}");
    }
}
