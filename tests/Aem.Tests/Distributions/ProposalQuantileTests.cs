using Aem.Distributions;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Distributions;

/// <summary>
/// The proposals' CDFs and quantile functions, which stratified and quadrature normalisers place their samples
/// with: F(F⁻¹(u)) = u to 1e-5 in u (the bar; far better in practice), in the far tails and across
/// components as narrow as the model's 1e-3 scale floor.
/// </summary>
public class ProposalQuantileTests
{
    private const double MinScale = 1e-3;

    /// <summary>Tail probabilities down to 1e-12 on both sides, and the bulk.</summary>
    private static readonly double[] Probabilities =
        [1e-12, 1e-9, 1e-6, 1e-4, 0.01, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.99, 1 - 1e-4, 1 - 1e-6, 1 - 1e-9];

    [Fact]
    public void MixtureQuantile_RoundTripsTo1e5InU_InTheFarTails_AndWithNarrowComponents()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11, CPU);
        var mixture = Mixtures(generator);                                                           // [6, M]
        var fixedU = tensor(Probabilities, dtype: float64).expand(6, Probabilities.Length);
        var randomU = rand([6, 500], dtype: float64, generator: generator);
        var u = cat([fixedU, randomU], 1);                                                           // [6, N]
        var x = mixture.Quantile(u);
        Assert.Equal(u.shape, x.shape);
        Assert.True(x.isfinite().all().item<bool>(), "every quantile should be finite");
        var back = mixture.Cdf(x);
        double worst = (back - u).abs().max().ToDouble();
        Assert.True(worst <= 1e-5, $"largest |F(F⁻¹(u)) − u| is {worst:G3}");
        // Far below the bar in fact: the lower tail to a relative 1e-8 even at u = 1e-12.
        var lowerTail = u.le(0.5);
        double relative = ((back / u) - 1).abs().masked_select(lowerTail).max().ToDouble();
        Assert.True(relative <= 1e-8, $"largest relative error of F in the lower tail is {relative:G3}");
        // Monotone in u for every conditional.
        var sorted = u.sort(-1);
        var ordered = x.gather(-1, sorted.Indices);
        Assert.True((ordered.narrow(-1, 1, ordered.shape[1] - 1) - ordered.narrow(-1, 0, ordered.shape[1] - 1)).ge(0).all().item<bool>());
    }

    [Fact]
    public void MixtureQuantile_LandsInsideANarrowComponentWhereItsMassIs()
    {
        // Half the mass in a component of scale ≈ 1e-3 at 0.3, half in a wide one: every u in about
        // (0.27, 0.73) must land within a few narrow scales of 0.3, where F climbs by 0.5.
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 0, 0 }, dtype: float64).unsqueeze(0);
        var means = tensor(new double[] { 0.3, 0 }, dtype: float64).unsqueeze(0);
        var raw = tensor(new double[] { -40, 1 }, dtype: float64).unsqueeze(0);                     // scales 1e-3 and 1.31
        var mixture = new MixtureOfGaussians(logits, means, raw, MinScale);
        var u = linspace(0.3, 0.7, 41, dtype: float64).unsqueeze(0);
        var x = mixture.Quantile(u);
        Assert.True((x - 0.3).abs().max().ToDouble() < 5e-3, "quantiles inside the narrow component's jump");
        Assert.True((mixture.Cdf(x) - u).abs().max().ToDouble() <= 1e-9);
    }

    [Fact]
    public void MixtureCdf_IsTheIntegralOfTheDensity()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(12, CPU);
        var mixture = new MixtureOfGaussians(
            randn([2, 4], dtype: float64, generator: generator),
            randn([2, 4], dtype: float64, generator: generator),
            randn([2, 4], dtype: float64, generator: generator), MinScale);
        double low = mixture.Means.min().ToDouble() - (12 * mixture.Scales.max().ToDouble());
        var ends = tensor(new double[] { -1.5, -0.2, 0.4, 2.0 }, dtype: float64);
        var cdf = mixture.Cdf(ends.expand(2, 4)).data<double>().ToArray();
        for (int k = 0; k < 4; k++)
        {
            double end = ends[k].ToDouble();
            long points = (long)Math.Ceiling((end - low) / (mixture.Scales.min().ToDouble() / 50)) + 1;
            var grid = linspace(low, end, points, dtype: float64);
            var integral = trapz(mixture.LogProb(grid.expand(2, points)).exp(), grid, -1).data<double>().ToArray();
            for (int row = 0; row < 2; row++) Assert.Equal(integral[row], cdf[(row * 4) + k], 1e-6);
        }
    }

    [Fact]
    public void MixtureQuantile_GivesNaN_ForNonFiniteParameters()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new double[] { 0, double.NaN, 0, 0 }, dtype: float64).reshape(2, 2);
        var mixture = new MixtureOfGaussians(logits, zeros(2, 2, dtype: float64), zeros(2, 2, dtype: float64), MinScale);
        var x = mixture.Quantile(full([2, 3], 0.3, dtype: float64));
        Assert.True(x[0].isnan().all().item<bool>());
        Assert.True(x[1].isfinite().all().item<bool>());
    }

    [Fact]
    public void UniformQuantile_IsLinear_AndInvertsTheCdf()
    {
        using var scope = NewDisposeScope();
        var proposal = new UniformProposal(-4, 4, [3], ScalarType.Float64, CPU);
        var u = tensor(Probabilities, dtype: float64).expand(3, Probabilities.Length);
        var x = proposal.Quantile(u);
        Assert.True(x.allclose(u * 8 - 4, rtol: 0, atol: 1e-14));
        Assert.True(proposal.Cdf(x).allclose(u, rtol: 0, atol: 1e-14));
        Assert.True(proposal.Cdf(tensor(new double[] { -9, 9 }, dtype: float64)).Equals(tensor(new double[] { 0, 1 }, dtype: float64)));
    }

    /// <summary>
    /// Six conditionals of five components: random ones, one with far-apart components, and ones with
    /// components at the 1e-3 scale floor (raw scales of −40) among wide ones.
    /// </summary>
    private static MixtureOfGaussians Mixtures(Generator generator)
    {
        var logits = randn([6, 5], dtype: float64, generator: generator);
        var means = randn([6, 5], dtype: float64, generator: generator) * 2;
        var raw = randn([6, 5], dtype: float64, generator: generator);
        means[1] = tensor(new double[] { -30, -10, 0, 10, 30 }, dtype: float64);
        raw[2, 0] = tensor(-40.0, dtype: float64);
        raw[3] = tensor(new double[] { -40, -40, -40, 0, -40 }, dtype: float64);
        raw[4] = full(5, -40.0, dtype: float64);
        return new MixtureOfGaussians(logits, means, raw, MinScale);
    }
}
