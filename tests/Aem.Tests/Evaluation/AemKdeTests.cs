using Aem.Distributions;
using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class AemKdeTests
{
    [Fact]
    public void ConditionalKde_1D_IntegratesToOneByQuadrature()
    {
        using var model = EvaluationModels.Create(features: 1);
        using var generator = new Generator(5, CPU);
        using var point = zeros(1, dtype: float64);
        foreach (var (h, lambda) in new[] { (0.05, 0.1), (0.3, 0.5), (1.0, 0.0) })
        {
            using var kde = ConditionalKde.Fit(model, point, 0, samples: 300, generator);
            double logMass = IntegrateOverProposal(model, point, 0, kde, h, lambda);
            Assert.InRange(logMass, -1e-7, 1e-7);
        }
    }

    [Fact]
    public void ConditionalKde_2D_EveryConditionalIntegratesToOneByQuadrature()
    {
        // p(x₁, x₂) = p(x₁) p(x₂ | x₁): the joint has mass 1 iff each conditional does (Fubini).
        using var model = EvaluationModels.Create(features: 2, seed: 2);
        using var generator = new Generator(6, CPU);
        foreach (double x1 in new[] { -3.0, -0.4, 0.0, 1.7, 6.0 })
        {
            using var point = tensor(new[] { x1, 0.0 }, float64);
            for (int d = 0; d < 2; d++)
            {
                using var kde = ConditionalKde.Fit(model, point, d, samples: 200, generator);
                double logMass = IntegrateOverProposal(model, point, d, kde, bandwidth: 0.2, proposalWeight: 0.05);
                Assert.InRange(logMass, -1e-7, 1e-7);
            }
        }
    }

    [Fact]
    public void Score_ProposalWeightOne_EqualsTheProposal()
    {
        using var model = EvaluationModels.Create(features: 3, seed: 3);
        using var generator = new Generator(7, CPU);
        using var data = randn([20, 3], dtype: float64, generator: generator);
        using var scores = AemKde.Score(model, data, samples: 50, [0.01, 0.3], [1.0, 0.2], generator);
        Assert.Equal([20L, 2L, 2L], scores.LogKde.shape);
        using var withProposalOnly = scores.LogKde.select(2, 0);                            // [N, H]
        Assert.True(withProposalOnly.allclose(scores.LogProposal.unsqueeze(1).expand(20, 2), rtol: 0, atol: 1e-12));
        using var mixed = scores.LogKde.select(2, 1);
        Assert.False(mixed.allclose(scores.LogProposal.unsqueeze(1).expand(20, 2), rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Score_MatchesTheConditionalForm()
    {
        // The batched test-set pass and the per-conditional object compute the same density from different
        // draws; at S = 20,000 their Monte Carlo spread here is about 0.03 nats, so 0.12 is four of those.
        // Mixing up dimensions, contexts or bandwidths moves the value by far more.
        using var model = EvaluationModels.Create(features: 2, seed: 4);
        using var generator = new Generator(8, CPU);
        using var data = tensor(new[,] { { 0.3, -0.5 }, { -1.2, 0.9 } }, float64);
        using var scores = AemKde.Score(model, data, samples: 20_000, [0.2], [0.1], generator);
        for (int b = 0; b < 2; b++)
        {
            double joint = 0;
            for (int d = 0; d < 2; d++)
            {
                using var kde = ConditionalKde.Fit(model, data[b], d, samples: 20_000, generator);
                using var logP = kde.LogDensity(data[b][d], 0.2, 0.1);
                joint += logP.item<double>();
            }
            Assert.Equal(joint, scores.LogKde[b, 0, 0].item<double>(), 0.12);
        }
    }

    [Fact]
    public void Accumulator_ChunkingDoesNotChangeTheResult()
    {
        using var generator = new Generator(9, CPU);
        using var values = randn([2, 3, 4], dtype: float64, generator: generator);
        using var samples = randn([2, 3, 30], dtype: float64, generator: generator);
        using var logWeights = randn([2, 3, 30], dtype: float64, generator: generator);
        using var whole = new KernelDensityAccumulator(values, [0.1, 1.0]);
        whole.Add(samples, logWeights);
        using var pieces = new KernelDensityAccumulator(values, [0.1, 1.0]);
        foreach (var (start, length) in new[] { (0, 7), (7, 1), (8, 22) })
        {
            pieces.Add(samples.narrow(-1, start, length), logWeights.narrow(-1, start, length));
        }
        Assert.Equal(30, pieces.SampleCount);
        Assert.True(whole.LogKernelDensity().allclose(pieces.LogKernelDensity(), rtol: 0, atol: 1e-12));
        Assert.True(whole.LogWeightSum.allclose(pieces.LogWeightSum, rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void Accumulator_MatchesADirectKernelSum()
    {
        double[] x = [-0.5, 0.2, 1.1];
        double[] logW = [0.3, -1.0, 0.0];
        const double h = 0.4, v = 0.25;
        double total = logW.Sum(Math.Exp);
        double expected = Math.Log(x.Select((xs, s) => Math.Exp(logW[s]) / total * Math.Exp(-0.5 * Math.Pow((v - xs) / h, 2)) / (h * Math.Sqrt(2 * Math.PI))).Sum());
        using var accumulator = new KernelDensityAccumulator(tensor(new[] { v }, float64), [h]);
        accumulator.Add(tensor(x, float64), tensor(logW, float64));
        Assert.Equal(expected, accumulator.LogKernelDensity().item<double>(), 12);
    }

    [Fact]
    public void Select_ChoosesTheBestValidationMean()
    {
        using var model = EvaluationModels.Create(features: 2, seed: 5);
        using var generator = new Generator(10, CPU);
        using var validation = randn([40, 2], dtype: float64, generator: generator);
        var selection = AemKde.Select(model, validation, samples: 200, [0.003, 0.05, 0.3, 3.0], [0.05, 0.5], generator);
        double best = double.NegativeInfinity;
        foreach (double m in selection.MeanScores.SelectMany(row => row)) best = Math.Max(best, m);
        Assert.Equal(best, selection.Score.Mean, 12);
        int h = selection.Bandwidths.ToList().IndexOf(selection.Bandwidth);
        int l = selection.ProposalWeights.ToList().IndexOf(selection.ProposalWeight);
        Assert.Equal(best, selection.MeanScores[h][l], 12);
        Assert.Equal(40, selection.Points);
    }

    /// <summary>log ∫ p over the proposal's μ ± 10σ widened by 10 h, by the converged log-trapezoid rule.</summary>
    private static double IntegrateOverProposal(AutoregressiveEnergyMachine model, Tensor point, int dimension, ConditionalKde kde, double bandwidth, double proposalWeight)
    {
        using var scope = NewDisposeScope();
        var x = point.reshape(1, -1);
        var proposal = (MixtureOfGaussians)model.SplitOutputs(model.ResMade.forward(x).narrow(1, dimension, 1)).Proposal;
        var (low, high) = IntegrationRange.For(proposal, [0.0], [0.0], proposalScales: 10, margin: 0);
        var result = LogTrapezoid.Integrate(
            (_, v) => kde.LogDensity(v, bandwidth, proposalWeight).reshape(v.shape),
            [Math.Min(low[0], 0) - (10 * bandwidth)],
            [Math.Max(high[0], 0) + (10 * bandwidth)]);
        Assert.True(result.Converged[0]);
        return result.LogIntegral[0];
    }
}
