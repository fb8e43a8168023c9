using Aem.Evaluation;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Model;

/// <summary>A model of p(x | c) (issue 16): its inputs, its normalisation at every context, and the row paths that carry c.</summary>
public class ConditionalModelTests
{
    private static AemOptions Options(int features, int context, ProposalKind proposal = ProposalKind.MixtureOfGaussians) =>
        TestModels.Small(features, proposal) with { ConditioningFeatures = context };

    [Fact]
    public void Forward_NeedsTheContext_AndAModelWithoutOneRefusesIt()
    {
        using var conditional = TestModels.Aem(Options(2, 3), seed: 1);
        using var plain = TestModels.Aem(TestModels.Small(2), seed: 1);
        using var scope = NewDisposeScope();
        var x = randn(4, 2, dtype: float64);
        Assert.Throws<ArgumentException>(() => conditional.Forward(x, samples: 5));
        Assert.Throws<ArgumentException>(() => conditional.Forward(x, samples: 5, context: randn(4, 2, dtype: float64)));
        Assert.Throws<ArgumentException>(() => conditional.Forward(x, samples: 5, context: randn(3, 3, dtype: float64)));
        Assert.Throws<ArgumentException>(() => plain.Forward(x, samples: 5, context: randn(4, 3, dtype: float64)));
        using var output = conditional.Forward(x, samples: 5, context: randn(4, 3, dtype: float64));
        Assert.Equal(new long[] { 4 }, output.LogDensity.shape);
    }

    [Fact]
    public void SplitRows_AndJoinRows_AreInverse()
    {
        using var model = TestModels.Aem(Options(2, 3), seed: 2);
        using var scope = NewDisposeScope();
        var rows = randn(5, 5, dtype: float64);
        var (x, c) = model.SplitRows(rows);
        Assert.Equal(new long[] { 5, 2 }, x.shape);
        Assert.True(rows.narrow(1, 2, 3).Equals(c!));
        Assert.True(model.JoinRows(x, c).Equals(rows));
        Assert.Throws<ArgumentException>(() => model.SplitRows(randn(5, 2, dtype: float64)));
    }

    [Fact]
    public void Estimator_OnRows_MatchesForward_GivenTheSameSamples()
    {
        using var model = TestModels.Aem(Options(3, 2), seed: 18);
        model.eval();
        using var scope = NewDisposeScope();
        using var data = new Generator(19, CPU);
        var rows = randn([6, 5], dtype: float64, generator: data);
        var (x, c) = model.SplitRows(rows);
        using var g2 = new Generator(20, CPU);
        using var seedSource = new Generator(20, CPU);
        using var g1 = LogLikelihoodEstimator.BatchGenerator(Aem.Randomness.Seeds.Draw(seedSource, CPU), batch: 0, CPU);
        Tensor forward;
        using (no_grad()) forward = model.Forward(x, samples: 50, g1, context: c).LogDensity;
        using var estimated = LogLikelihoodEstimator.Estimate(model, rows, samples: 50, g2);
        Assert.True(forward.allclose(estimated.LogDensity, rtol: 0, atol: 1e-10));
    }

    [Fact]
    public void Density_IntegratesToOne_AtEveryContext_AndDependsOnIt()
    {
        // A bounded support (uniform proposal) makes ∫ p̂(x | c) dx = 1 a finite quadrature.
        var options = Options(1, 2, ProposalKind.Uniform) with { UniformLow = -6, UniformHigh = 6 };
        using var model = TestModels.Aem(options, seed: 5, scale: 2);
        using var scope = NewDisposeScope();
        var grid = linspace(-6, 6, 301, dtype: float64);                                  // [G]
        var densities = new List<Tensor>();
        foreach (var context in new[] { new[] { -1.0, 0.5 }, new[] { 2.0, -1.5 } })
        {
            var rows = cat([grid.unsqueeze(1), tensor(context, dtype: float64).expand(grid.shape[0], 2)], 1); // [G, 3]
            using var generator = new Generator(7, CPU);
            using var output = LogLikelihoodEstimator.Estimate(model, rows, samples: 2000, generator, workers: 1);
            var logDensity = output.LogDensity.to(float64);
            double integral = trapezoid(logDensity.exp(), grid).ToDouble();
            Assert.InRange(integral, 0.97, 1.03);
            densities.Add(logDensity.detach());
        }
        Assert.True((densities[0] - densities[1]).abs().max().ToDouble() > 0.5, "precondition: the density should change with the context");
    }

    private static Tensor trapezoid(Tensor y, Tensor x) => ((y.narrow(0, 1, y.shape[0] - 1) + y.narrow(0, 0, y.shape[0] - 1)) * (x.narrow(0, 1, x.shape[0] - 1) - x.narrow(0, 0, x.shape[0] - 1))).sum() / 2;
}
