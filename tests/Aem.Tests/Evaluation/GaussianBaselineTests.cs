using Aem.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class GaussianBaselineTests
{
    [Fact]
    public void LogProb_EqualsADirectFloat64Computation()
    {
        using var generator = new Generator(3, CPU);
        using var z = randn([500, 3], dtype: float64, generator: generator);
        using var mixing = tensor(new double[,] { { 2, 0, 0 }, { 0.8, 0.5, 0 }, { -1, 0.3, 0.1 } }, dtype: float64);
        using var x = z.matmul(mixing.t());
        var baseline = GaussianBaseline.Fit(x);

        // Direct: the sample mean, the covariance with divisor N, and the density by the textbook formula.
        var rows = x.data<double>().ToArray();
        int n = 500, d = 3;
        var mean = new double[d];
        for (int r = 0; r < n; r++) for (int i = 0; i < d; i++) mean[i] += rows[(r * d) + i] / n;
        var cov = new double[d, d];
        for (int r = 0; r < n; r++) for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) cov[i, j] += (rows[(r * d) + i] - mean[i]) * (rows[(r * d) + j] - mean[j]) / n;
        using var sigma = tensor(cov, dtype: float64);
        using var inverse = linalg.inv(sigma);
        double logDet = linalg.slogdet(sigma).Item2.ToDouble();
        var invValues = inverse.data<double>().ToArray();
        using var actual = baseline.LogProb(x);
        var got = actual.data<double>().ToArray();
        for (int r = 0; r < n; r += 37)
        {
            double quadratic = 0;
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) quadratic += (rows[(r * d) + i] - mean[i]) * invValues[(i * d) + j] * (rows[(r * d) + j] - mean[j]);
            double expected = -0.5 * ((d * Math.Log(2 * Math.PI)) + logDet + quadratic);
            Assert.Equal(expected, got[r], 10);
        }
        Assert.Equal(mean, baseline.Mean, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void ExactlyCollinearColumns_GetATinyRidge_NotAnError()
    {
        using var a = linspace(-1, 1, 100, dtype: float64).unsqueeze(1);
        using var b = a * 2;
        using var x = cat([a, b], 1);
        var baseline = GaussianBaseline.Fit(x);
        using var logProb = baseline.LogProb(x);
        Assert.True(logProb.isfinite().all().ToBoolean());
    }
}
