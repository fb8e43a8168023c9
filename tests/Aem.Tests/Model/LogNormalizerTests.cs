using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Model;

/// <summary>
/// Importance sampling of a known normaliser: energy log φ(x) = −x²/2, so Z = √(2π), and proposal
/// q = N(0, 1.25²), whose heavier tails keep the weights φ/q bounded.
/// </summary>
public class LogNormalizerTests
{
    private const double ProposalScale = 1.25;
    private static readonly double TrueZ = Math.Sqrt(2 * Math.PI);

    [Fact]
    public void Estimate_OfZ_IsUnbiased()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1, CPU);
        const int trials = 20_000;
        var z = Estimates(trials, samples: 10, generator).exp();                                   // Ẑ, not log Ẑ
        double mean = z.mean().ToDouble();
        double standardError = z.std().ToDouble() / Math.Sqrt(trials);
        Assert.InRange(mean, TrueZ - (3 * standardError), TrueZ + (3 * standardError));
        // log Ẑ itself is biased downwards (Jensen): the test above would be too easy if it were not.
        Assert.True(Estimates(trials, samples: 10, generator).mean().ToDouble() < Math.Log(TrueZ));
    }

    [Fact]
    public void RmsErrorOfLogZ_ShrinksAsSamplesGrow()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(2, CPU);
        double previous = double.PositiveInfinity;
        foreach (int samples in new[] { 10, 100, 1000 })
        {
            var error = Estimates(1000, samples, generator) - Math.Log(TrueZ);
            double rms = error.square().mean().sqrt().ToDouble();
            Assert.True(rms < previous, $"RMS error {rms} at S = {samples} is not below {previous}");
            // Roughly 1/√S: the ten-fold increase in S should cut the error by well over half.
            Assert.True(rms < previous / 2, $"RMS error {rms} at S = {samples} shrank too little from {previous}");
            previous = rms;
        }
    }

    [Fact]
    public void Estimate_PassesNoGradientToTheProposal()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3, CPU);
        var x = randn([4, 20], dtype: float64, generator: generator) * ProposalScale;
        var logEnergy = (x.square() * -0.5).requires_grad_();
        var logProposal = LogProposal(x).requires_grad_();
        LogNormalizer.Estimate(logEnergy, logProposal).sum().backward();
        Assert.True(logProposal.grad is null || logProposal.grad.count_nonzero().item<long>() == 0, "log q received a gradient");
        Assert.NotNull(logEnergy.grad);
        Assert.True(logEnergy.grad!.abs().min().ToDouble() > 0, "every log φ term should receive a gradient");
        // d log Ẑ / d log φ_s are the normalised importance weights: they sum to one per estimate.
        Assert.True(logEnergy.grad.sum(-1).allclose(ones(4, dtype: float64), rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void Accumulate_InChunks_MatchesEstimate()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4, CPU);
        var x = randn([3, 100], dtype: float64, generator: generator) * ProposalScale;
        var logEnergy = x.square() * -0.5;
        var logProposal = LogProposal(x);
        var direct = LogNormalizer.Estimate(logEnergy, logProposal);
        Tensor? running = null;
        foreach (var (start, length) in new[] { (0, 30), (30, 1), (31, 69) })
        {
            running = LogNormalizer.Accumulate(running, (logEnergy - logProposal).narrow(-1, start, length));
        }
        Assert.True(direct.allclose(running! - Math.Log(100), rtol: 0, atol: 1e-12));
    }

    /// <summary>log Ẑ for <paramref name="trials"/> independent estimates with S samples each, <c>[trials]</c>.</summary>
    private static Tensor Estimates(int trials, int samples, Generator generator)
    {
        var x = randn([trials, samples], dtype: float64, generator: generator) * ProposalScale;
        return LogNormalizer.Estimate(x.square() * -0.5, LogProposal(x));
    }

    private static Tensor LogProposal(Tensor x) =>
        (x / ProposalScale).square() * -0.5 - Math.Log(ProposalScale * Math.Sqrt(2 * Math.PI));
}
