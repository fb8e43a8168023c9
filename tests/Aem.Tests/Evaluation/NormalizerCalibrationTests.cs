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
    public void Run_ComparesEveryEstimatorAtEveryS_AndSpreadSamplesBeatIndependentOnes()
    {
        using var model = EvaluationModels.Create(features: 3, seed: 10);
        using var generator = new Generator(4, CPU);
        using var validation = randn([50, 3], dtype: float64, generator: generator);
        NormalizerEstimator[] estimators = [NormalizerEstimator.Iid, NormalizerEstimator.Stratified, NormalizerEstimator.Quadrature];
        var result = NormalizerCalibration.Run(model, validation, Options with { Conditionals = 30, SampleSizes = [100, 1000], Estimators = estimators });
        Assert.Equal(0, result.NotConverged);
        Assert.Equal(estimators.SelectMany(e => new[] { (e, 100), (e, 1000) }), result.Summaries.Select(s => (s.Estimator, s.Samples)));
        Assert.All(result.Conditionals, c => Assert.Equal(6, c.LogZHat.Count));
        double iid = result.Summaries[result.Index(NormalizerEstimator.Iid, 1)].P95Absolute;
        double stratified = result.Summaries[result.Index(NormalizerEstimator.Stratified, 1)].P95Absolute;
        double quadrature = result.Summaries[result.Index(NormalizerEstimator.Quadrature, 1)].P95Absolute;
        Assert.True(stratified < iid / 5, $"95th pct |r| at S = 1,000: stratified {stratified:G3}, iid {iid:G3}");
        Assert.True(quadrature < iid / 5, $"95th pct |r| at S = 1,000: quadrature {quadrature:G3}, iid {iid:G3}");
    }

    [Fact]
    public void SamplesToMatchIid_TakesTheSmallestSFromWhichOnTheAccuracyHolds()
    {
        static RelativeErrorSummary P95(NormalizerEstimator e, int s, double p95) => new(s, 10, 0, 0, 0, 0) { Estimator = e, P95Absolute = p95 };
        var iid = NormalizerEstimator.Iid;
        var stratified = NormalizerEstimator.Stratified;
        var quadrature = NormalizerEstimator.Quadrature;
        var result = new CalibrationResult([10, 100, 1000], [], [
            P95(iid, 10, 0.5), P95(iid, 100, 0.2), P95(iid, 1000, 0.05),
            P95(stratified, 10, 0.04), P95(stratified, 100, 0.1), P95(stratified, 1000, 0.01),   // dips below at S = 10 only by chance
            P95(quadrature, 10, 0.2), P95(quadrature, 100, 0.06), P95(quadrature, 1000, 0.07),
        ]) { Estimators = [iid, stratified, quadrature] };
        var matching = result.SamplesToMatchIid();
        Assert.Equal([1000, 1000, null], matching.Select(m => m.Samples));
        Assert.All(matching, m => Assert.Equal((1000, 0.05), (m.ReferenceSamples, m.ReferenceP95Absolute)));
        Assert.Equal(1.0, matching[1].FewerEvaluations);
        Assert.Null(matching[2].FewerEvaluations);
        Assert.Equal(100, result.SamplesToReach(iid, 0.2));
        Assert.Equal(10, result.SamplesToReach(stratified, 0.1));
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
