using Aem.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Distributions;

public class UniformProposalTests
{
    [Fact]
    public void LogProb_IsMinusLogWidthInside_AndMinusInfinityOutside()
    {
        using var scope = NewDisposeScope();
        var proposal = new UniformProposal(-4, 4, [2], ScalarType.Float64, CPU);
        var values = tensor(new double[] { -3.99, 0, 3.5, -4.5, 4.01, 100 }, dtype: float64).expand(2, 6);
        var logQ = proposal.LogProb(values).data<double>().ToArray();
        for (int row = 0; row < 2; row++)
        {
            for (int i = 0; i < 3; i++) Assert.Equal(-Math.Log(8), logQ[(row * 6) + i], 1e-15);
            for (int i = 3; i < 6; i++) Assert.Equal(double.NegativeInfinity, logQ[(row * 6) + i]);
        }
    }

    [Fact]
    public void Samples_LieInRange_WithMeanZeroAndVarianceWidthSquaredOverTwelve()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(6, CPU);
        var proposal = new UniformProposal(-4, 4, [2, 3], ScalarType.Float64, CPU);
        const int n = 100_000;
        var samples = proposal.Sample(n, generator);
        Assert.Equal(new long[] { 2, 3, n }, samples.shape);
        Assert.Equal(ScalarType.Float64, samples.dtype);
        Assert.True(samples.min().ToDouble() >= -4 && samples.max().ToDouble() <= 4);
        double variance = 64.0 / 12;
        // Four standard errors of the mean and of the variance (m₄ = 8⁴/80 for a uniform of width 8).
        var means = samples.mean([-1]).data<double>().ToArray();
        var variances = samples.var(-1).data<double>().ToArray();
        double varianceError = Math.Sqrt(((Math.Pow(8, 4) / 80) - (variance * variance)) / n);
        foreach (double m in means) Assert.InRange(m, -4 * Math.Sqrt(variance / n), 4 * Math.Sqrt(variance / n));
        foreach (double v in variances) Assert.InRange(v, variance - (4 * varianceError), variance + (4 * varianceError));
    }

    [Fact]
    public void Sample_IsReproducibleWithASeededGenerator()
    {
        using var scope = NewDisposeScope();
        var proposal = new UniformProposal(-4, 4, [3], ScalarType.Float32, CPU);
        using var first = new Generator(8, CPU);
        using var second = new Generator(8, CPU);
        Assert.True(proposal.Sample(50, first).Equals(proposal.Sample(50, second)));
    }
}
