using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class TestEvaluationTests
{
    [Theory]
    [InlineData(ProposalKind.Uniform, false)]
    [InlineData(ProposalKind.MixtureOfGaussians, true)]
    public void LargeS_1D_MatchesTheQuadratureLogLikelihoodWithinItsErrorBars(ProposalKind proposal, bool kde)
    {
        using var model = EvaluationModels.Create(features: 1, proposal, seed: 11);
        using var generator = new Generator(4, CPU);
        using var test = (rand([200, 1], dtype: float64, generator: generator) * 6) - 3;
        using var validation = (rand([40, 1], dtype: float64, generator: generator) * 6) - 3;

        // Exact: one conditional with no context, log p(x) = log φ(x) − log Z, Z by quadrature.
        double exact;
        using (var scope = NewDisposeScope())
        {
            var (context, q) = model.Conditionals(zeros([1, 1], dtype: float64));
            var (low, high) = IntegrationRange.For(q, [-3.0], [3.0], proposalScales: 10, margin: 1);
            var logZ = LogTrapezoid.Integrate((_, v) => model.EnergyNet.forward(v, context[0]), low, high);
            Assert.True(logZ.Converged[0]);
            var logPhi = model.EnergyNet.forward(test.reshape(1, -1), context[0]);
            exact = logPhi.mean().item<double>() - logZ.LogIntegral[0];
        }

        var options = new TestEvaluationOptions { Samples = 20_000, Seed = 5, Kde = kde, KdeValidationPoints = 40, KdeSelectionSamples = 500 };
        var report = TestEvaluation.Run(model, test, validation, options);
        Assert.Equal(200, report.Points);
        Assert.InRange(report.Aem.Mean - exact, -report.Aem.TwoStandardErrors, report.Aem.TwoStandardErrors);
        // Far tighter than the error bars, which mostly reflect the spread of log φ over the test points.
        Assert.InRange(report.Aem.Mean - exact, -0.01, 0.01);
        Assert.Equal(kde, report.Kde is not null);
        if (proposal == ProposalKind.Uniform) Assert.Equal(-Math.Log(8), report.Proposal.Mean, 12);
    }

    [Fact]
    public void MaxPoints_ScoresASeededSubsetWithItsOwnErrorBars()
    {
        using var model = EvaluationModels.Create(features: 2, seed: 12);
        using var generator = new Generator(5, CPU);
        using var test = randn([200, 2], dtype: float64, generator: generator);
        var options = new TestEvaluationOptions { Samples = 100, MaxPoints = 50, Seed = 1 };
        var a = TestEvaluation.Run(model, test, options: options);
        var b = TestEvaluation.Run(model, test, options: options);
        var all = TestEvaluation.Run(model, test, options: options with { MaxPoints = null });
        Assert.Equal(50, a.Points);
        Assert.Equal(200, a.TotalPoints);
        Assert.Equal(a, b);
        Assert.Equal(200, all.Points);
        Assert.Equal(50, a.Aem.Count);
        // Fewer points, wider error bars (SE ∝ 1/√n): same population, so roughly √4 = 2× wider.
        Assert.InRange(a.Proposal.StandardError / all.Proposal.StandardError, 1.3, 3.0);
    }

    [Fact]
    public void Kde_RequiresTheValidationSplit()
    {
        using var model = EvaluationModels.Create(features: 1);
        using var test = zeros([5, 1], dtype: float64);
        Assert.Throws<ArgumentException>(() => TestEvaluation.Run(model, test, null, new TestEvaluationOptions { Kde = true }));
    }
}
