using Aem.Distributions;
using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Model;

/// <summary>
/// The three placements of a normaliser's samples on known integrals: a Gaussian energy
/// <c>φ(x) = exp(−(x − a)²/(2b²))</c>, Z = b√(2π), under a fixed mixture proposal whose widest component is
/// wider than φ (so the weights φ/q stay bounded and the integrand in the CDF coordinate is smooth).
/// </summary>
public class NormalizerEstimatorTests
{
    private const double EnergyMean = 0.7;
    private const double EnergyScale = 0.8;
    private static readonly double TrueZ = EnergyScale * Math.Sqrt(2 * Math.PI);

    [Fact]
    public void Iid_DrawsExactlyWhatTheProposalDraws_ChunkByChunk()
    {
        // What keeps the paper's estimator bit-identical: placement consumes the generator as Sample does.
        using var scope = NewDisposeScope();
        var proposal = Proposal(5);
        using var g1 = new Generator(8, CPU);
        using var g2 = new Generator(8, CPU);
        using var placement = new NormalizerSamples(proposal, [5], CPU, NormalizerEstimator.Iid, 30, g1);
        var placed = cat([placement.Next(7), placement.Next(23)], -1);
        var drawn = cat([proposal.Sample(7, g2), proposal.Sample(23, g2)], -1);
        Assert.True(placed.Equals(drawn));
        Assert.Throws<ArgumentOutOfRangeException>(() => placement.Next(1));
    }

    [Fact]
    public void Stratified_PutsOneSampleInEachStratum_WithOneShiftPerConditional()
    {
        // Under U(0, 1) the quantile is the identity: sample s must be (s + U)/S with the same U throughout a conditional.
        using var scope = NewDisposeScope();
        const int s = 50;
        var proposal = new UniformProposal(0, 1, [4, 3], ScalarType.Float64, CPU);
        using var generator = new Generator(3, CPU);
        using var placement = new NormalizerSamples(proposal, [4, 3], CPU, NormalizerEstimator.Stratified, s, generator);
        var x = cat([placement.Next(20), placement.Next(30)], -1);                           // [4, 3, S]
        var offsets = x * s - arange(s, dtype: float64);                                      // U per sample
        Assert.True(offsets.ge(0).all().item<bool>() && offsets.lt(1).all().item<bool>(), "each sample in its own stratum");
        Assert.True((offsets.amax([-1]) - offsets.amin([-1])).max().ToDouble() < 1e-12, "one shift per conditional");
        Assert.True(offsets.select(-1, 0).unique().output.shape[0] == 12, "a different shift for every conditional");
    }

    [Fact]
    public void Quadrature_IsTheMidpointRule_AndDrawsNothing()
    {
        using var scope = NewDisposeScope();
        var proposal = new UniformProposal(-4, 4, [2], ScalarType.Float64, CPU);
        using var generator = new Generator(3, CPU);
        using var placement = new NormalizerSamples(proposal, [2], CPU, NormalizerEstimator.Quadrature, 8, generator);
        var x = placement.Next(8);
        Assert.True(x.allclose((arange(8, dtype: float64) + 0.5) - 4, rtol: 0, atol: 1e-14));
        using var fresh = new Generator(3, CPU);
        Assert.True(rand(5, dtype: float64, generator: generator).Equals(rand(5, dtype: float64, generator: fresh)), "the generator was not touched");
    }

    [Fact]
    public void StratifiedZ_IsUnbiased_ForAKnownZ()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4, CPU);
        const int conditionals = 20_000;
        // S = 4: few strata, so a misplaced stratum or a wrong weight would show as a bias well beyond the error bar.
        var z = Estimates(NormalizerEstimator.Stratified, conditionals, samples: 4, generator).exp();
        double mean = z.mean().ToDouble();
        double standardError = z.std().ToDouble() / Math.Sqrt(conditionals);
        Assert.InRange(mean, TrueZ - (3 * standardError), TrueZ + (3 * standardError));
        Assert.True(standardError < 1e-3 * TrueZ, $"the test needs a tight error bar; got {standardError:G3}");
    }

    [Fact]
    public void StratifiedError_FallsFasterThanIid_OnASmoothEnergy()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        double Rms(NormalizerEstimator estimator, int samples) =>
            Estimates(estimator, 2000, samples, generator).exp().div(TrueZ).sub(1.0).square().mean().sqrt().ToDouble();
        double iidSmall = Rms(NormalizerEstimator.Iid, 16), iidLarge = Rms(NormalizerEstimator.Iid, 256);
        double stratifiedSmall = Rms(NormalizerEstimator.Stratified, 16), stratifiedLarge = Rms(NormalizerEstimator.Stratified, 256);
        // 16× the samples: iid's error shrinks 4× (1/√S); stratified's 64× for a smooth integrand (S^−3/2).
        Assert.InRange(iidSmall / iidLarge, 2.5, 6.5);
        Assert.True(stratifiedSmall / stratifiedLarge > 25, $"stratified error shrank only {stratifiedSmall / stratifiedLarge:G3}×");
        Assert.True(stratifiedLarge < iidLarge / 20, $"at S = 256: stratified {stratifiedLarge:G3}, iid {iidLarge:G3}");
    }

    [Fact]
    public void QuadratureZ_MatchesTheClosedForm_ToItsStatedTolerance()
    {
        // The midpoint rule's error is O(S⁻²) on a smooth integrand: 1e-6 relative at S = 1,000 here.
        using var scope = NewDisposeScope();
        var first = Estimates(NormalizerEstimator.Quadrature, 3, 1000, generator: null);
        var again = Estimates(NormalizerEstimator.Quadrature, 3, 1000, generator: null);
        Assert.True(first.Equals(again), "quadrature is deterministic");
        foreach (double logZ in first.data<double>().ToArray()) Assert.InRange(Math.Exp(logZ - Math.Log(TrueZ)) - 1, -1e-6, 1e-6);
        double coarse = Math.Abs(Math.Exp(Estimates(NormalizerEstimator.Quadrature, 1, 100, null).ToDouble() - Math.Log(TrueZ)) - 1);
        double fine = Math.Abs(Math.Exp(first[0].ToDouble() - Math.Log(TrueZ)) - 1);
        Assert.True(coarse / fine > 50, $"ten times the points should cut the error about a hundredfold (got {coarse / fine:G3}×)");
    }

    /// <summary>log Ẑ of <paramref name="conditionals"/> copies of the Gaussian energy, each with its own samples, <c>[conditionals]</c>.</summary>
    private static Tensor Estimates(NormalizerEstimator estimator, int conditionals, int samples, Generator? generator)
    {
        var proposal = Proposal(conditionals);
        using var placement = new NormalizerSamples(proposal, [conditionals], CPU, estimator, samples, generator);
        var x = placement.Next(samples);                                                      // [C, S]
        var logEnergy = (x - EnergyMean).div(EnergyScale).square().mul(-0.5);
        return LogNormalizer.Estimate(logEnergy, proposal.LogProb(x));
    }

    /// <summary>One fixed three-component mixture (means −1, 1, 0.5; scales 0.6, 0.9, 2.5) for each of <paramref name="conditionals"/>.</summary>
    private static MixtureOfGaussians Proposal(int conditionals)
    {
        static Tensor Row(double[] values, int n) => tensor(values, dtype: float64).expand(n, values.Length).contiguous();
        // Raw scales are the softplus inverses of σ − 1e-3.
        double[] scales = [0.6, 0.9, 2.5];
        var raw = scales.Select(s => Math.Log(Math.Exp(s - 1e-3) - 1)).ToArray();
        return new MixtureOfGaussians(Row([0.2, 0.0, -0.5], conditionals), Row([-1, 1, 0.5], conditionals), Row(raw, conditionals), 1e-3);
    }
}
