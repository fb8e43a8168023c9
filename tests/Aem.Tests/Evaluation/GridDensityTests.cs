using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class GridDensityTests
{
    // Seven figures would take ~2^19 points per conditional on a piecewise-linear ReLU energy.
    private static readonly TrapezoidOptions Loose = new() { Tolerance = 1e-6 };

    [Fact]
    public void Evaluate_QuadratureNormalisedDensity_HasUnitMassOnABoxHoldingTheMass()
    {
        using var model = EvaluationModels.Create(features: 2, seed: 13);
        using var generator = new Generator(6, CPU);
        var result = GridDensity.Evaluate(model, -12, 12, pointsPerAxis: 241, samples: 2000, Loose, generator);
        Assert.Equal(0, result.NotConverged);
        Assert.InRange(result.MassQuadrature, 1 - 2e-3, 1 + 1e-4);
        // IS with 2,000 samples per conditional: close to, but not exactly, a density.
        Assert.InRange(result.MassImportance, 0.9, 1.1);
        Assert.NotEqual(result.MassQuadrature, result.MassImportance);
        Assert.Equal(241, result.Axis.Length);
    }

    [Fact]
    public void Evaluate_UniformProposal_NormalisesOverTheProposalSquare()
    {
        using var model = EvaluationModels.Create(features: 2, ProposalKind.Uniform, seed: 14);
        using var generator = new Generator(7, CPU);
        var result = GridDensity.Evaluate(model, -4, 4, pointsPerAxis: 161, samples: 2000, Loose, generator);
        Assert.InRange(result.MassQuadrature, 1 - 1e-3, 1 + 1e-3);
        Assert.InRange(result.MassImportance, 0.95, 1.05);
    }

    [Fact]
    public void Evaluate_UniformProposal_HasZeroDensityOutsideTheProposalSquare()
    {
        using var model = EvaluationModels.Create(features: 2, ProposalKind.Uniform, seed: 14);
        using var generator = new Generator(8, CPU);
        // Box [−5, 5]² with spacing 0.05: the square's edges fall on grid points, where the trapezoid
        // rule overcounts the cut-off by about half a cell along the perimeter (≈ 1 %).
        var result = GridDensity.Evaluate(model, -5, 5, pointsPerAxis: 201, samples: 500, Loose, generator);
        Assert.True(double.IsNegativeInfinity(result.LogDensityQuadrature[0, 100]));
        Assert.True(double.IsNegativeInfinity(result.LogDensityImportance[100, 200]));
        Assert.True(double.IsFinite(result.LogDensityQuadrature[100, 100]));
        Assert.InRange(result.MassQuadrature, 0.97, 1.03);
    }

    [Fact]
    public void Evaluate_RejectsModelsThatAreNotTwoDimensional()
    {
        using var model = EvaluationModels.Create(features: 3);
        Assert.Throws<ArgumentException>(() => GridDensity.Evaluate(model, -1, 1));
    }
}
