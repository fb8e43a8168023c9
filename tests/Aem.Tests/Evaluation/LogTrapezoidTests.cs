using Aem.Evaluation;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class LogTrapezoidTests
{
    [Fact]
    public void Integrate_GaussianEnergy_RecoversNormaliserToSevenFigures()
    {
        double[] scales = [0.3, 1.0, 2.5];
        double[] centres = [0.7, -1.3, 4.0];
        // Asymmetric ranges so that no grid is symmetric about the centre.
        var low = scales.Select((s, i) => centres[i] - (12 * s) - 0.37).ToArray();
        var high = scales.Select((s, i) => centres[i] + (12 * s)).ToArray();
        var result = LogTrapezoid.Integrate(
            (active, x) =>
            {
                var c = tensor(active.Select(i => centres[i]).ToArray(), float64).unsqueeze(1);
                var s = tensor(active.Select(i => scales[i]).ToArray(), float64).unsqueeze(1);
                return ((x - c) / s).square() * -0.5;
            },
            low,
            high);
        for (int i = 0; i < scales.Length; i++)
        {
            Assert.True(result.Converged[i]);
            double exact = Math.Log(scales[i] * Math.Sqrt(2 * Math.PI));
            // |Δ log Z| is the relative error of Z: seven significant figures.
            Assert.InRange(result.LogIntegral[i] - exact, -5e-8, 5e-8);
        }
    }

    [Fact]
    public void Integrate_KinkedEnergy_DoublesTheGridUntilSevenFigures()
    {
        // e^{−|x − 0.3|} on [−20, 20]: the kink is never a grid point, so the error is O(Δ²) and needs doublings.
        var result = LogTrapezoid.Integrate((_, x) => (x - 0.3).abs().neg(), [-20.0], [20.0]);
        double exact = Math.Log(2 - Math.Exp(-20.3) - Math.Exp(-19.7));
        Assert.True(result.Converged[0]);
        Assert.True(result.Points[0] > 1025, $"converged after {result.Points[0]} points");
        Assert.InRange(result.LogIntegral[0] - exact, -5e-8, 5e-8);
    }

    [Fact]
    public void Integrate_ReportsNonConvergence_WhenTheGridIsCapped()
    {
        var options = new TrapezoidOptions { InitialPoints = 17, MaxPoints = 33 };
        var result = LogTrapezoid.Integrate((_, x) => (x - 0.3).abs().neg(), [-20.0], [20.0], options);
        Assert.False(result.Converged[0]);
        Assert.Equal(33, result.Points[0]);
    }

    [Fact]
    public void Integrate_ConvergedIntegrandsDropOutOfLaterRounds()
    {
        var seen = new List<long[]>();
        LogTrapezoid.Integrate(
            (active, x) =>
            {
                seen.Add(active);
                // Integrand 0 is constant (exact at once); integrand 1 has a kink.
                var kinked = tensor(active.Select(i => i == 1 ? 1.0 : 0.0).ToArray(), float64).unsqueeze(1);
                return (x - 0.3).abs().neg() * kinked;
            },
            [-1.0, -20.0],
            [1.0, 20.0]);
        Assert.Equal([0L, 1L], seen[0]);
        Assert.Equal([0L, 1L], seen[1]);
        Assert.All(seen.Skip(2), a => Assert.Equal([1L], a));
    }
}
