using Aem.Data;
using Aem.Evaluation;
using Aem.Figures;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Tests.Figures;

public class GridEvaluatorTests
{
    private static readonly double[] X1 = [-2.5, -0.7, 0.3, 1.9];
    private static readonly double[] X2 = [-3.1, -1.0, 0.0, 0.45, 2.2];

    [Fact]
    public void LogProposal_EqualsTheModelsLogProposalAtEveryGridPoint()
    {
        using var model = FigureTestModels.Create(ProposalKind.MixtureOfGaussians);
        var grid = GridEvaluator.Evaluate(model, X1, X2, samples: 10);
        using var points = GridPoints(X1, X2);
        using var expected = model.LogProposal(points);
        var reference = expected.data<double>().ToArray();
        for (int i = 0; i < X1.Length; i++)
        {
            for (int j = 0; j < X2.Length; j++)
            {
                Assert.Equal(reference[(i * X2.Length) + j], grid.LogMarginalProposal[i] + grid.LogConditionalProposal[i, j], 10);
            }
        }
    }

    [Fact]
    public void Standardizer_MapsTheGridAndAddsItsLogJacobian()
    {
        using var model = FigureTestModels.Create(ProposalKind.MixtureOfGaussians);
        var standardizer = new Standardizer([1.5, -2.0], [2.0, 0.5]);
        var grid = GridEvaluator.Evaluate(model, X1, X2, samples: 10, standardizer: standardizer);
        using var points = GridPoints(X1, X2);
        using var z = standardizer.Transform(points);
        using var expected = model.LogProposal(z);
        var reference = expected.data<double>().ToArray();
        for (int i = 0; i < X1.Length; i++)
        {
            for (int j = 0; j < X2.Length; j++)
            {
                double joint = grid.LogMarginalProposal[i] + grid.LogConditionalProposal[i, j];
                Assert.Equal(reference[(i * X2.Length) + j] + standardizer.LogAbsDetJacobian, joint, 10);
            }
        }
    }

    [Fact]
    public void AemLogDensity_AgreesWithTheLogLikelihoodEstimator()
    {
        // A uniform proposal bounds the weights φ/q (φ ≤ 1), so both estimates have small variance; an
        // untrained energy need not decay in the tails, where a Gaussian proposal's weights explode.
        using var model = FigureTestModels.Create(ProposalKind.Uniform);
        using var generator = new Generator(11, CPU);
        var grid = GridEvaluator.Evaluate(model, X1, X2, samples: 20_000, generator: generator);
        using var points = GridPoints(X1, X2);
        using var output = LogLikelihoodEstimator.Estimate(model, points, 20_000, generator);
        var reference = output.LogDensity.data<double>().ToArray();
        for (int i = 0; i < X1.Length; i++)
        {
            for (int j = 0; j < X2.Length; j++)
            {
                // Two independent importance-sampling estimates of the same quantity with S = 20,000.
                Assert.InRange(grid.LogMarginal[i] + grid.LogConditional[i, j] - reference[(i * X2.Length) + j], -0.02, 0.02);
            }
        }
    }

    [Fact]
    public void UniformProposal_DensityIntegratesToOneOnItsSupportAndVanishesOutside()
    {
        using var model = FigureTestModels.Create(ProposalKind.Uniform);
        using var generator = new Generator(5, CPU);
        var axis = Enumerable.Range(0, 801).Select(k => -4.0 + (k * 0.01)).Append(4.5).ToArray();
        var grid = GridEvaluator.Evaluate(model, [-3.3, 0.2, 2.7, 4.5], axis, samples: 20_000, generator: generator);
        for (int i = 0; i < 3; i++)
        {
            double mass = Trapezoid(Enumerable.Range(0, 801).Select(k => Math.Exp(grid.LogConditional[i, k])).ToArray(), 0.01);
            Assert.InRange(mass, 0.98, 1.02);
            Assert.Equal(double.NegativeInfinity, grid.LogConditional[i, 801]);
        }
        var marginal = GridEvaluator.Evaluate(model, axis, [0.0], samples: 20_000, generator: generator);
        double marginalMass = Trapezoid(Enumerable.Range(0, 801).Select(k => Math.Exp(marginal.LogMarginal[k])).ToArray(), 0.01);
        Assert.InRange(marginalMass, 0.98, 1.02);
        Assert.Equal(double.NegativeInfinity, marginal.LogMarginal[801]);
    }

    [Fact]
    public void Evaluate_RejectsModelsThatAreNotTwoDimensional()
    {
        using var model = FigureTestModels.Create(ProposalKind.MixtureOfGaussians, features: 3);
        Assert.Throws<ArgumentException>(() => GridEvaluator.Evaluate(model, X1, X2, samples: 10));
    }

    private static Tensor GridPoints(double[] x1, double[] x2)
    {
        var values = new double[x1.Length * x2.Length, 2];
        for (int i = 0; i < x1.Length; i++)
        {
            for (int j = 0; j < x2.Length; j++)
            {
                values[(i * x2.Length) + j, 0] = x1[i];
                values[(i * x2.Length) + j, 1] = x2[j];
            }
        }
        return tensor(values);
    }

    private static double Trapezoid(double[] values, double spacing) =>
        spacing * (values.Sum() - (0.5 * (values[0] + values[^1])));
}
