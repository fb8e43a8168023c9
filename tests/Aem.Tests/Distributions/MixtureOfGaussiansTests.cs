using Aem.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Distributions;

public class MixtureOfGaussiansTests
{
    private const double MinScale = 1e-3;

    [Fact]
    public void LogProb_MatchesClosedFormReference()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1, CPU);
        var (logits, means, raw) = RandomParameters([3, 4], components: 5, generator);
        var values = randn([3, 4, 7], dtype: float64, generator: generator) * 3;
        var actual = new MixtureOfGaussians(logits, means, raw, MinScale).LogProb(values);           // [3, 4, 7]
        Assert.Equal(new long[] { 3, 4, 7 }, actual.shape);

        var l = logits.reshape(-1, 5).data<double>().ToArray();
        var mu = means.reshape(-1, 5).data<double>().ToArray();
        var r = raw.reshape(-1, 5).data<double>().ToArray();
        var x = values.reshape(-1, 7).data<double>().ToArray();
        var got = actual.reshape(-1, 7).data<double>().ToArray();
        for (int row = 0; row < 12; row++)
        {
            for (int n = 0; n < 7; n++)
            {
                double expected = ReferenceLogProb(x[(row * 7) + n], l.AsSpan(row * 5, 5), mu.AsSpan(row * 5, 5), r.AsSpan(row * 5, 5));
                Assert.Equal(expected, got[(row * 7) + n], 1e-12 * Math.Max(1, Math.Abs(expected)));
            }
        }
    }

    [Fact]
    public void Density_IntegratesToOne()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(2, CPU);
        var (logits, means, raw) = RandomParameters([3], components: 4, generator);
        var mixture = new MixtureOfGaussians(logits, means, raw, MinScale);
        double smallest = mixture.Scales.min().ToDouble(), largest = mixture.Scales.max().ToDouble();
        double low = mixture.Means.min().ToDouble() - (12 * largest), high = mixture.Means.max().ToDouble() + (12 * largest);
        // Spacing 1/200 of the narrowest component: trapezoid error far below the tolerance.
        long points = (long)Math.Ceiling((high - low) / (smallest / 200)) + 1;
        var grid = linspace(low, high, points, dtype: float64);
        var density = mixture.LogProb(grid.expand(3, points)).exp();                                 // [3, N]
        var integral = trapz(density, grid, -1);
        foreach (double value in integral.data<double>().ToArray()) Assert.Equal(1.0, value, 1e-6);
    }

    [Fact]
    public void Samples_HaveTheMixtureMeanAndVariance()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3, CPU);
        var (logits, means, raw) = RandomParameters([3], components: 4, generator);
        var mixture = new MixtureOfGaussians(logits, means, raw, MinScale);
        const int n = 200_000;
        var samples = mixture.Sample(n, generator);                                                   // [3, n]
        Assert.Equal(new long[] { 3, n }, samples.shape);

        var pi = mixture.LogWeights.exp();
        var mean = (pi * mixture.Means).sum(-1);                                                      // [3]
        var secondMoment = (pi * (mixture.Scales.square() + mixture.Means.square())).sum(-1);
        var variance = secondMoment - mean.square();
        var sampleMean = samples.mean([-1]);
        var centred = samples - sampleMean.unsqueeze(-1);
        var sampleVariance = centred.square().mean([-1]);
        // Standard errors: √(σ²/n) for the mean, √((m₄ − σ⁴)/n) for the variance.
        var meanError = (variance / n).sqrt();
        var varianceError = ((centred.pow(4).mean([-1]) - sampleVariance.square()) / n).sqrt();
        for (int i = 0; i < 3; i++)
        {
            Assert.InRange(Math.Abs(sampleMean[i].ToDouble() - mean[i].ToDouble()), 0, 4 * meanError[i].ToDouble());
            Assert.InRange(Math.Abs(sampleVariance[i].ToDouble() - variance[i].ToDouble()), 0, 4 * varianceError[i].ToDouble());
        }
    }

    [Fact]
    public void Sample_IsReproducibleWithASeededGenerator()
    {
        using var scope = NewDisposeScope();
        using var parameters = new Generator(4, CPU);
        var (logits, means, raw) = RandomParameters([2, 3], components: 5, parameters);
        var mixture = new MixtureOfGaussians(logits, means, raw, MinScale);
        using var first = new Generator(42, CPU);
        using var second = new Generator(42, CPU);
        using var other = new Generator(43, CPU);
        var a = mixture.Sample(100, first);
        var b = mixture.Sample(100, second);
        var c = mixture.Sample(100, other);
        Assert.Equal(new long[] { 2, 3, 100 }, a.shape);
        Assert.True(a.Equals(b));
        Assert.False(a.Equals(c));
    }

    [Fact]
    public void Samples_CarryNoGradient_WhileLogProbDoes()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        var (logits, means, raw) = RandomParameters([2], components: 3, generator);
        logits.requires_grad_();
        means.requires_grad_();
        raw.requires_grad_();
        var mixture = new MixtureOfGaussians(logits, means, raw, MinScale);
        var samples = mixture.Sample(10, generator);
        Assert.False(samples.requires_grad);
        Assert.True(mixture.LogProb(samples).requires_grad);
    }

    [Fact]
    public void Sample_GivesNaN_ForNonFiniteParameters_InsteadOfThrowing()
    {
        // A NaN input row makes the ResMADE's outputs NaN; training must see a NaN loss and skip
        // the step, which needs sampling to go through.
        using var scope = NewDisposeScope();
        using var generator = new Generator(7, CPU);
        var (logits, means, raw) = RandomParameters([3], components: 4, generator);
        logits[1, 2] = tensor(double.NaN, dtype: float64);
        var mixture = new MixtureOfGaussians(logits, means, raw, MinScale);
        var samples = mixture.Sample(20, generator);                                                  // [3, 20]
        Assert.True(samples[1].isnan().all().item<bool>());
        Assert.True(samples[0].isfinite().all().item<bool>() && samples[2].isfinite().all().item<bool>());
    }

    [Fact]
    public void Constructor_RejectsMismatchedShapes()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new MixtureOfGaussians(zeros(2, 3), zeros(2, 3), zeros(2, 4)));
        Assert.Contains("share a shape", ex.Message, StringComparison.Ordinal);
    }

    private static (Tensor Logits, Tensor Means, Tensor RawScales) RandomParameters(long[] leading, int components, Generator generator)
    {
        long[] shape = [.. leading, components];
        return (
            randn(shape, dtype: float64, generator: generator),
            randn(shape, dtype: float64, generator: generator) * 2,
            randn(shape, dtype: float64, generator: generator) - 0.5);
    }

    /// <summary>log Σ_m softmax(l)_m N(x; μ_m, (1e-3 + softplus(r_m))²), in plain double arithmetic.</summary>
    private static double ReferenceLogProb(double x, ReadOnlySpan<double> logits, ReadOnlySpan<double> means, ReadOnlySpan<double> raw)
    {
        double maxLogit = double.NegativeInfinity;
        foreach (double l in logits) maxLogit = Math.Max(maxLogit, l);
        double normaliser = 0;
        foreach (double l in logits) normaliser += Math.Exp(l - maxLogit);
        double density = 0;
        for (int m = 0; m < logits.Length; m++)
        {
            double weight = Math.Exp(logits[m] - maxLogit) / normaliser;
            double softplus = Math.Max(raw[m], 0) + Math.Log(1 + Math.Exp(-Math.Abs(raw[m])));
            double sigma = MinScale + softplus;
            double z = (x - means[m]) / sigma;
            density += weight * Math.Exp(-0.5 * z * z) / (sigma * Math.Sqrt(2 * Math.PI));
        }
        return Math.Log(density);
    }
}
