using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

/// <summary>Small float64 AEMs with seeded weights for the evaluation tests.</summary>
internal static class EvaluationModels
{
    /// <summary>
    /// A tiny model whose energy decays in both directions, so ∫ φ is finite: with no energy-net blocks,
    /// raw = Σ_k w_k relu(a_k x + c_k) + b with w_k &gt; 0 and a_k of both signs grows as |x| → ∞.
    /// The ResMADE's output weights are shrunk so that proposal scales stay moderate (≈ 0.3–1.5): random
    /// weights of full size give σ near the 1e-3 floor, spikes that a fixed quadrature grid can step over.
    /// </summary>
    public static AutoregressiveEnergyMachine Create(int features, ProposalKind proposal = ProposalKind.MixtureOfGaussians, ulong seed = 1)
    {
        var model = new AutoregressiveEnergyMachine(new AemOptions
        {
            Features = features,
            HiddenFeatures = 16,
            ContextFeatures = 8,
            EnergyHiddenFeatures = 16,
            ResMadeBlocks = 1,
            EnergyBlocks = 0,
            Components = 3,
            Proposal = proposal,
        });
        model.to(float64);
        using var generator = new Generator(seed, CPU);
        var shaped = new HashSet<string>();
        // Explicit Scalars: implicit ones can be finalized mid-call while other test classes collect.
        using var half = 0.5.ToScalar();
        using var tenth = 0.1.ToScalar();
        using var one = 1.ToScalar();
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                using var noise = randn(parameter.shape, dtype: float64, generator: generator);
                parameter.copy_(noise.mul(half));
                if (name == "energy_net.input.weight")
                {
                    long width = parameter.shape[0];
                    using var sign = tensor(Enumerable.Range(0, (int)width).Select(k => k % 2 == 0 ? 1.0 : -1.0).ToArray(), float64);
                    using var slope = randn(width, dtype: float64, generator: generator).abs().add(half, one);
                    parameter.select(1, 0).copy_(sign * slope);
                    shaped.Add(name);
                }
                else if (name == "energy_net.output.weight")
                {
                    parameter.abs_();
                    shaped.Add(name);
                }
                else if (name == "resmade.final.weight")
                {
                    parameter.mul_(tenth);
                    shaped.Add(name);
                }
            }
        }
        if (shaped.Count != 3) throw new InvalidOperationException($"Parameter names changed; shaped only {string.Join(", ", shaped)}.");
        model.eval();
        return model;
    }
}
