using System.Globalization;
using Aem.Evaluation;
using Aem.Model;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Aem.Tests.Model;

/// <summary>
/// The model's density p̂ = Π_d φ_d / Ẑ_d integrates to one, by quadrature, when Ẑ uses many
/// importance samples. A randomly initialised energy need not decay at ±∞ (φ → 1 on one side is
/// common), so each test uses a bounded support (uniform proposal) or a seed whose energy is
/// checked to decay inside the grid.
/// </summary>
public class NormalisationTests(ITestOutputHelper output)
{
    /// <summary>Seed of a 1-D energy that decays on both sides (log φ(±300) ≈ −44, −28).</summary>
    private const ulong DecayingSeed = 22;

    [Fact]
    public void OneDimensional_UniformProposal_IntegratesToOne()
    {
        var options = TestModels.Small(1, ProposalKind.Uniform) with { UniformLow = -30, UniformHigh = 30 };
        using var model = TestModels.Aem(options, DecayingSeed);
        using var scope = NewDisposeScope();
        var grid = linspace(-30, 30, 12_001, dtype: float64);
        var logPhi = LogEnergy1D(model, grid);
        Assert.True(logPhi.max().ToDouble() - logPhi.min().ToDouble() > 2, "precondition: φ should vary over the support");
        // The tolerance below should be at least three standard errors of Ẑ/Z = mean(60 φ)/Z at S = 20,000,
        // whose variance is (60 ∫ φ² / Z² − 1) / S.
        double z = trapz(logPhi.exp(), grid).ToDouble();
        double relativeError = Math.Sqrt(((60 * trapz((2 * logPhi).exp(), grid).ToDouble() / (z * z)) - 1) / 20_000);
        output.WriteLine($"relative standard error of Ẑ: {relativeError:F5}");
        Assert.True(3 * relativeError < 0.02, "precondition: S = 20,000 should estimate Z to 2 % here");
        CheckOneDimensional(model, grid, logPhi);
    }

    [Fact]
    public void OneDimensional_MixtureProposal_IntegratesToOne()
    {
        using var model = TestModels.Aem(TestModels.Small(1), DecayingSeed);
        // With D = 1 the proposal is the final layer's bias (no input reaches dimension 1): set it to
        // a wide mixture so that it covers the energy's bulk and tails.
        SetMixture(model, means: [-10, 0, 10], scale: 20);
        using var scope = NewDisposeScope();
        var grid = linspace(-400, 400, 80_001, dtype: float64);
        var logPhi = LogEnergy1D(model, grid);
        Assert.True(logPhi[0].ToDouble() < -30 && logPhi[-1].ToDouble() < -30, "precondition: φ must decay inside the grid");
        CheckOneDimensional(model, grid, logPhi);
    }

    [Fact]
    public void TwoDimensional_IntegratesToOne()
    {
        const double half = 6;
        const int points = 80;
        var options = TestModels.Small(2, ProposalKind.Uniform) with { UniformLow = -half, UniformHigh = half };
        // Weights three times the default range: log p̂ spans about 6 nats over the grid.
        using var model = TestModels.Aem(options, seed: 3, scale: 3);
        using var scope = NewDisposeScope();
        var axis = linspace(-half, half, points, dtype: float64);
        var mesh = meshgrid([axis, axis], indexing: "ij");
        var x = stack([mesh[0].flatten(), mesh[1].flatten()], 1);                               // [N², 2], x1 slow
        using var generator = new Generator(4, CPU);
        using var estimate = LogLikelihoodEstimator.Estimate(model, x, samples: 500, generator);
        var density = estimate.LogDensity.exp().view(points, points);                          // [x1, x2]
        double integral = trapz(trapz(density, axis, 1), axis, 0).ToDouble();
        output.WriteLine($"∫∫ p̂ = {integral:F5}");
        Assert.True(estimate.LogDensity.max().ToDouble() - estimate.LogDensity.min().ToDouble() > 3, "precondition: p̂ should vary over the grid");
        // Not a product of independent marginals: the second conditional changes with x1.
        var logZ2 = estimate.LogNormalizer.select(1, 1).view(points, points).mean([1]);
        Assert.True(logZ2.max().ToDouble() - logZ2.min().ToDouble() > 0.5, "precondition: log Z_2 should depend on x1");
        // Tolerance: 0.03, covering the 80-point trapezoid rule and the S = 500 estimates.
        Assert.InRange(integral, 0.97, 1.03);
    }

    /// <summary>
    /// ∫ φ/Ẑ ≈ 1 with Ẑ from 20,000 importance samples, and the estimator's log p̂ at a few points
    /// equals log φ − log Z with Z by trapezoid quadrature.
    /// </summary>
    private void CheckOneDimensional(AutoregressiveEnergyMachine model, Tensor grid, Tensor logPhi)
    {
        double logZQuadrature = Math.Log(trapz(logPhi.exp(), grid).ToDouble());
        var probes = tensor(new[] { grid[0].ToDouble() / 3, -1.3, 0.0, 2.2, grid[-1].ToDouble() / 5 }, dtype: float64).unsqueeze(1);
        using var generator = new Generator(5, CPU);
        using var estimate = LogLikelihoodEstimator.Estimate(model, probes, samples: 20_000, generator);
        var logZ = estimate.LogNormalizer.squeeze(1);                                           // one estimate per probe
        var integrals = (logZQuadrature - logZ).exp().data<double>().ToArray();                 // ∫ φ / Ẑ
        output.WriteLine($"log Z (quadrature) = {logZQuadrature:F5}; ∫ φ/Ẑ = {string.Join(", ", integrals.Select(v => v.ToString("F5", CultureInfo.InvariantCulture)))}");
        // Tolerance 0.02 (for the uniform proposal, over three standard errors of Ẑ).
        foreach (double integral in integrals) Assert.InRange(integral, 0.98, 1.02);
        var expected = LogEnergy1D(model, probes.squeeze(1)) - logZQuadrature;
        Assert.True(estimate.LogDensity.allclose(expected, rtol: 0, atol: 0.02), "estimated log p̂ differs from log φ − log Z by more than 0.02");
    }

    /// <summary>log φ of dimension 1 at <paramref name="values"/> <c>[N]</c> (its context does not depend on x).</summary>
    private static Tensor LogEnergy1D(AutoregressiveEnergyMachine model, Tensor values)
    {
        using var noGrad = no_grad();
        var context = model.Conditionals(zeros(1, 1, dtype: float64)).Context;                 // [1, 1, K]
        return model.EnergyNet.forward(values.view(1, 1, -1), context).view(-1);              // [N]
    }

    private static void SetMixture(AutoregressiveEnergyMachine model, double[] means, double scale)
    {
        int k = model.Options.ContextFeatures, m = model.Options.Components;
        Assert.Equal(m, means.Length);
        var bias = model.named_parameters().Single(p => p.name == "resmade.final.bias").parameter;
        double raw = Math.Log(Math.Exp(scale - model.Options.MinScale) - 1);                     // softplus⁻¹
        using var noGrad = no_grad();
        bias.narrow(0, k, m).fill_(0);                                                           // equal weights
        bias.narrow(0, k + m, m).copy_(tensor(means, dtype: float64));
        bias.narrow(0, k + (2 * m), m).fill_(raw);
    }
}
