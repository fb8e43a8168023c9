using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class PointScorerTests
{
    [Fact]
    public void ScoringInWholeChunks_GivesTheScoresOfOneCall_AndOfTestEvaluation()
    {
        using var model = EvaluationModels.Create(features: 2, seed: 21);
        using var generator = new Generator(5, CPU);
        using var points = randn([700, 2], dtype: float64, generator: generator);
        using var whole = new PointScorer(model, samples: 50, seed: 9);
        using var inParts = new PointScorer(model, samples: 50, seed: 9);
        var all = whole.Score(points);
        var first = inParts.Score(points.narrow(0, 0, 512));
        var rest = inParts.Score(points.narrow(0, 512, 188));
        Assert.Equal(all.LogDensity, first.LogDensity.Concat(rest.LogDensity).ToArray());
        Assert.Equal(all.MinEffectiveSampleSize, first.MinEffectiveSampleSize.Concat(rest.MinEffectiveSampleSize).ToArray());
        // The same numbers TestEvaluation summarises.
        var report = TestEvaluation.Run(model, points, options: new TestEvaluationOptions { Samples = 50, Seed = 9 });
        Assert.Equal(MeanWithError.Of(all.LogDensity), report.Aem);
    }

    [Fact]
    public void Offset_ShiftsEveryLogDensityAndNothingElse()
    {
        using var model = EvaluationModels.Create(features: 2, seed: 22);
        using var points = zeros([10, 2], dtype: float64);
        using var plain = new PointScorer(model, samples: 20, seed: 1);
        using var shifted = new PointScorer(model, samples: 20, seed: 1, logAbsDetJacobian: -1.25);
        var a = plain.Score(points);
        var b = shifted.Score(points);
        Assert.Equal(a.LogDensity.Select(v => v - 1.25), b.LogDensity);
        Assert.Equal(a.LogProposal.Select(v => v - 1.25), b.LogProposal);
        Assert.Equal(a.MinEffectiveSampleSize, b.MinEffectiveSampleSize);
    }

    [Fact]
    public void EffectiveSampleSize_IsSForEqualWeights_AndOneForASingleNonZeroWeight()
    {
        using var equal = full([3, 400], 0.7, dtype: float64);
        using var ess = LogNormalizer.LogEffectiveSampleSize(equal).exp();
        Assert.All(ess.data<double>().ToArray(), v => Assert.Equal(400, v, 9));
        using var one = full([2, 50], double.NegativeInfinity, dtype: float64);
        one[.., 17] = tensor(3.0, dtype: float64);
        using var single = LogNormalizer.LogEffectiveSampleSize(one).exp();
        Assert.All(single.data<double>().ToArray(), v => Assert.Equal(1, v, 12));
    }

    [Fact]
    public void TheEstimatorsStreamingEss_IsExactlySForEqualWeights_AcrossManyChunks()
    {
        // A uniform proposal and an energy net whose output layer is zero: log φ is the same constant for
        // every value, so every weight — the S samples' and the data value's own — is equal and each
        // conditional's ESS is exactly S + 1.
        var options = new AemOptions { Features = 3, HiddenFeatures = 8, ContextFeatures = 4, EnergyHiddenFeatures = 8, ResMadeBlocks = 1, EnergyBlocks = 1, Proposal = ProposalKind.Uniform };
        using var model = TestModels.Aem(options, seed: 4);
        using (no_grad())
        {
            foreach (var (name, p) in model.named_parameters())
            {
                if (name.StartsWith("energy_net.output.weight", StringComparison.Ordinal)) p.zero_();
            }
        }
        using var x = zeros([5, 3], dtype: float64);
        using var generator = new Generator(1, CPU);
        using var output = LogLikelihoodEstimator.Estimate(model, x, samples: 3000, generator, maxRows: 600);
        using var ess = output.LogEffectiveSampleSize!.exp();
        Assert.All(ess.data<double>().ToArray(), v => Assert.Equal(3001, v, 6));
    }

    [Fact]
    public void BoundedLogDensity_NeverExceedsLogQPlusDLogSPlusOne_AndMatchesLogDensityWhereTheProposalCovers()
    {
        using var model = EvaluationModels.Create(features: 2, seed: 23);
        // Typical points, and points 30 proposal scales out where no proposal sample goes.
        using var near = zeros([40, 2], dtype: float64);
        using var far = full([10, 2], 60.0, dtype: float64);
        using var points = cat([near, far], 0);
        const int s = 200;
        using var scorer = new PointScorer(model, samples: s, seed: 2);
        var scores = scorer.Score(points);
        for (int i = 0; i < 50; i++)
        {
            Assert.True(scores.BoundedLogDensity[i] <= scores.LogProposal[i] + (2 * Math.Log(s + 1)) + 1e-9, $"point {i}");
        }
        for (int i = 0; i < 40; i++)
        {
            // One more sample among 200: log Ẑ moves by about log(1 + 1/200) per conditional at most.
            Assert.InRange(scores.BoundedLogDensity[i] - scores.LogDensity[i], -0.1, 0.01);
        }
        for (int i = 40; i < 50; i++)
        {
            Assert.True(scores.LogProposal[i] < -100, "precondition: the far points are far outside the proposal");
            Assert.Equal(1, scores.MinEffectiveSampleSize[i], 6);
        }
    }
}
