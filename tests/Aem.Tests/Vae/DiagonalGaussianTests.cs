using Aem.Vae;
using static TorchSharp.torch;

namespace Aem.Tests.Vae;

public sealed class DiagonalGaussianTests
{
    private static DiagonalGaussian Posterior() => new(
        tensor(new[] { 0.5, -1.0, 0.0, 2.0 }, [2, 2], dtype: float64),
        tensor(new[] { -0.3, 0.4, 0.0, -2.0 }, [2, 2], dtype: float64));

    [Fact]
    public void LogProb_MatchesTheClosedForm()
    {
        var q = Posterior();
        using var z = tensor(new[] { 0.1, 0.2, -0.3, 3.0, 1.0, 1.0, 0.0, 2.5 }, [2, 2, 2], dtype: float64); // [B, K, L]

        var logQ = q.LogProb(z).data<double>().ToArray();

        var m = q.Mean.data<double>().ToArray();
        var v = q.LogVariance.data<double>().ToArray();
        var zz = z.data<double>().ToArray();
        for (int b = 0; b < 2; b++)
        {
            for (int k = 0; k < 2; k++)
            {
                double expected = 0;
                for (int l = 0; l < 2; l++)
                {
                    double variance = Math.Exp(v[(b * 2) + l]);
                    double d = zz[(((b * 2) + k) * 2) + l] - m[(b * 2) + l];
                    expected += (-0.5 * d * d / variance) - (0.5 * Math.Log(2 * Math.PI * variance));
                }
                Assert.Equal(expected, logQ[(b * 2) + k], 12);
            }
        }
    }

    [Fact]
    public void Kl_MatchesAMonteCarloEstimate()
    {
        var q = Posterior();
        using var generator = new Generator(1, CPU);
        using var z = q.Sample(200_000, generator);                               // [B, K, L]
        var logStandard = (z.square() * -0.5 - (0.5 * Math.Log(2 * Math.PI))).sum(-1);
        using var monteCarlo = (q.LogProb(z) - logStandard).mean([1]);

        var analytic = q.KlToStandardNormal().data<double>().ToArray();
        var estimate = monteCarlo.data<double>().ToArray();

        for (int b = 0; b < 2; b++) Assert.Equal(analytic[b], estimate[b], 1.5e-2);
    }

    [Fact]
    public void Sample_HasThePosteriorMoments()
    {
        var q = Posterior();
        using var generator = new Generator(2, CPU);
        using var z = q.Sample(100_000, generator);

        using var mean = z.mean([1]);
        using var variance = z.var(1);

        Assert.True(mean.allclose(q.Mean, rtol: 0, atol: 0.02));
        Assert.True(variance.allclose(q.LogVariance.exp(), rtol: 0.03, atol: 0));
    }
}
