using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class NormalizerCalibrationTests
{
    private static readonly CalibrationOptions Options = new() { Conditionals = 12, SampleSizes = [1, 100, 10_000], Seed = 3 };

    [Fact]
    public void Run_ImportanceEstimatesApproachTheQuadratureValue_AsSamplesGrow()
    {
        using var model = EvaluationModels.Create(features: 3, seed: 7);
        using var generator = new Generator(1, CPU);
        using var validation = randn([50, 3], dtype: float64, generator: generator);
        var result = NormalizerCalibration.Run(model, validation, Options);
        Assert.Equal(0, result.NotConverged);
        Assert.All(result.Conditionals, c => Assert.InRange(c.Dimension, 1, 2));
        var s1 = result.Summaries[0];
        var s10k = result.Summaries[2];
        Assert.Equal(12, s10k.Count);
        Assert.True(s10k.MedianAbsolute < 0.02, $"median |r| at S = 10,000 is {s10k.MedianAbsolute}");
        Assert.True(s10k.MedianAbsolute < s1.MedianAbsolute);
        Assert.True(s10k.P95 - s10k.P5 < s1.P95 - s1.P5);
    }

    [Fact]
    public void Run_QuadratureMatchesAnIndependentIntegralOfTheChosenConditional()
    {
        // Recompute one conditional's integral directly from the model (context from its validation point and
        // dimension), on a fine fixed grid: this checks that the calibration integrates the right conditional.
        using var model = EvaluationModels.Create(features: 3, seed: 8);
        using var generator = new Generator(2, CPU);
        using var validation = randn([30, 3], dtype: float64, generator: generator);
        var result = NormalizerCalibration.Run(model, validation, Options with { Conditionals = 3, SampleSizes = [10] });
        foreach (var c in result.Conditionals)
        {
            using var scope = NewDisposeScope();
            var (context, _) = model.Conditionals(validation[c.Point].unsqueeze(0));
            var grid = linspace(c.Low, c.High, 400_001, dtype: float64);
            var logPhi = model.EnergyNet.forward(grid.unsqueeze(0), context[0][c.Dimension].unsqueeze(0)).squeeze(0);
            double step = (c.High - c.Low) / 400_000;
            var phi = logPhi.exp();
            double integral = step * (phi.sum().item<double>() - (0.5 * (phi[0].item<double>() + phi[-1].item<double>())));
            Assert.Equal(Math.Log(integral), c.LogZ, 6);
        }
    }

    [Fact]
    public void Run_UniformProposal_IntegratesOverTheProposalInterval()
    {
        using var model = EvaluationModels.Create(features: 2, ProposalKind.Uniform, seed: 9);
        using var generator = new Generator(3, CPU);
        using var validation = (rand([40, 2], dtype: float64, generator: generator) * 8) - 4;
        var result = NormalizerCalibration.Run(model, validation, Options);
        Assert.All(result.Conditionals, c => Assert.Equal((-4.0, 4.0), (c.Low, c.High)));
        Assert.Equal(0, result.NotConverged);
        // Bounded weights (φ ≤ 1, q = 1/8): at S = 10,000 every estimate is within a few per cent.
        Assert.InRange(result.Summaries[2].P5, -0.05, 0.05);
        Assert.InRange(result.Summaries[2].P95, -0.05, 0.05);
    }

    [Fact]
    public void Run_RefusesAOneDimensionalModel()
    {
        using var model = EvaluationModels.Create(features: 1);
        using var validation = zeros([10, 1], dtype: float64);
        var error = Assert.Throws<ArgumentException>(() => NormalizerCalibration.Run(model, validation, Options));
        Assert.Contains("D = 1", error.Message, StringComparison.Ordinal);
    }
}
