using Aem.Data;
using Aem.Evaluation;
using Aem.Model;
using Aem.Sampling;
using Aem.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Aem.Tests.Training;

/// <summary>
/// A small conditional AEM trained for a few hundred steps on the built-in conditional task
/// (<see cref="ConditionalSine"/>: x1 | c ~ N(sin 3c, 0.1²), x2 | x1, c ~ Laplace(x1·c, 0.2)), once for the
/// class: it must beat its own proposal, lose heavily when the contexts are shuffled, and draw samples at a
/// given context with the conditional's known moments.
/// </summary>
public sealed class ConditionalLearningTests(ConditionalLearningTests.TrainedModel trained, ITestOutputHelper output)
    : IClassFixture<ConditionalLearningTests.TrainedModel>
{
    private const int TestRows = 2_000;

    /// <summary>The model, trained once for the class.</summary>
    public sealed class TrainedModel : IDisposable
    {
        public TrainedModel()
        {
            var options = new AemOptions
            {
                Features = ConditionalSine.Features,
                ConditioningFeatures = ConditionalSine.ContextFeatures,
                HiddenFeatures = 64,
                ContextFeatures = 8,
                EnergyHiddenFeatures = 64,
                ResMadeBlocks = 2,
                EnergyBlocks = 2,
                Components = 5,
            };
            // float32, as in real training; the paper's zero-initialised layers are kept.
            Model = TestModels.Aem(options, seed: 1, keepZeros: true, dtype: ScalarType.Float32);
            using var train = ConditionalSine.GenerateTensor(20_000, 1);
            using var trainer = TestTrainers.Aem(Model, new TrainerOptions { BatchSize = 128, Steps = 400, WarmupSteps = 20, LearningRate = 2e-3, ValidateEvery = 0, Seed = 1 });
            Reason = trainer.Run(train).Reason;
        }

        public AutoregressiveEnergyMachine Model { get; }

        public StopReason Reason { get; }

        public void Dispose() => Model.Dispose();
    }

    [Fact]
    public void AFewHundredSteps_BeatTheProposal_AndTheTrueContextBeatsAShuffledOne()
    {
        Assert.Equal(StopReason.Completed, trained.Reason);
        using var scope = NewDisposeScope();
        var test = ConditionalSine.GenerateTensor(TestRows, 2);                          // [N, 3]: x1, x2, c
        using var shuffle = new Generator(4, CPU);
        var permutation = randperm(TestRows, generator: shuffle);
        var shuffled = cat([test.narrow(1, 0, 2), test.narrow(1, 2, 1).index_select(0, permutation)], 1); // [N, 3]
        using var g1 = new Generator(3, CPU);
        using var g2 = new Generator(3, CPU);
        using var atTrue = LogLikelihoodEstimator.Estimate(trained.Model, test, samples: 500, g1);
        using var atShuffled = LogLikelihoodEstimator.Estimate(trained.Model, shuffled, samples: 500, g2);
        double aem = atTrue.LogDensity.mean().ToDouble();
        double proposal = atTrue.LogProposal.mean().ToDouble();
        double wrongContext = atShuffled.LogDensity.mean().ToDouble();
        double truth = ConditionalSine.LogDensity(test).mean().ToDouble();
        output.WriteLine($"test log p(x | c): AEM {aem:F3}, proposal {proposal:F3}, truth {truth:F3}; AEM at shuffled contexts {wrongContext:F3} nats");
        // Measured (seed 1, 400 steps, 1 thread): AEM 0.761, proposal 0.262, truth 0.851, shuffled −16.8 nats.
        Assert.True(aem > proposal + 0.3, $"AEM {aem:F3} is not 0.3 nats above its proposal's {proposal:F3}");
        Assert.True(aem < truth + 0.1, $"AEM {aem:F3} is above the truth {truth:F3} by more than an estimate's noise");
        Assert.True(aem > wrongContext + 5, $"the true contexts' {aem:F3} is not 5 nats above the shuffled contexts' {wrongContext:F3}");
    }

    [Theory]
    [InlineData(-1.3)]
    [InlineData(0.4)]
    [InlineData(1.5)]
    public void Samples_AtAContext_HaveTheConditionalsMoments(double c)
    {
        const int count = 2_000;
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        var context = tensor(new[] { c }, dtype: float32).view(1, 1);                    // [1, C]
        var samples = ImportanceResampler.Sample(trained.Model, count, generator: generator, context: context).to(float64); // [n, 2]
        double x1Mean = samples[.., 0].mean().ToDouble(), x1Sd = samples[.., 0].std().ToDouble();
        // x2 − x1·c is Laplace(0, 0.2) whatever x1 is: mean 0, standard deviation 0.2·√2.
        var residual = samples[.., 1] - (samples[.., 0] * c);
        double rMean = residual.mean().ToDouble(), rSd = residual.std().ToDouble();
        double trueSd = ConditionalSine.X2Scale * Math.Sqrt(2);
        output.WriteLine($"c = {c}: x1 mean {x1Mean:F3} (true {ConditionalSine.X1Mean(c):F3}), sd {x1Sd:F3} (0.1); x2 − x1·c mean {rMean:F3} (0), sd {rSd:F3} ({trueSd:F3})");
        // Sampling error alone is about 0.005 on each mean and 3 % on each sd (n = 2,000); the bounds allow for the model's error after 400 steps.
        Assert.InRange(x1Mean, ConditionalSine.X1Mean(c) - 0.05, ConditionalSine.X1Mean(c) + 0.05);
        Assert.InRange(x1Sd, 0.5 * ConditionalSine.X1Scale, 1.5 * ConditionalSine.X1Scale);
        Assert.InRange(rMean, -0.05, 0.05);
        Assert.InRange(rSd, 0.75 * trueSd, 1.25 * trueSd);
    }
}
