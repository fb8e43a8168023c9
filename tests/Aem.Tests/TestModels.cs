using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests;

/// <summary>
/// Seeded models for tests. Library constructors draw from libtorch's global generator, which test
/// classes running in parallel share, so every test model is re-drawn from its own generator.
/// </summary>
internal static class TestModels
{
    /// <summary>
    /// Redraws every parameter of <paramref name="module"/> uniformly in ±1/√fan_in (PyTorch's default
    /// Linear range) from a generator seeded with <paramref name="seed"/>. Parameters that are exactly
    /// zero (the second layers of residual blocks) get noise too unless <paramref name="keepZeros"/>,
    /// so that structural tests do not pass only because a block is the identity. A
    /// <paramref name="scale"/> above 1 gives sharper, more varied densities.
    /// </summary>
    public static void Randomize(nn.Module module, ulong seed, bool keepZeros = false, double scale = 1.0)
    {
        using var generator = new Generator(seed, CPU);
        using var noGrad = no_grad();
        // Explicit Scalars: implicit ones can be finalized mid-call while other test classes collect.
        using var two = 2.ToScalar();
        using var one = 1.ToScalar();
        long fanIn = 1;
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (parameter.dim() == 2) fanIn = parameter.shape[1];
            bool isZero = parameter.count_nonzero().item<long>() == 0;
            if (isZero && keepZeros) continue;
            using var bound = (scale / Math.Sqrt(fanIn)).ToScalar();
            using var draw = rand(parameter.shape, dtype: float64, generator: generator);
            using var value = draw.mul(two).sub(one).mul(bound);
            parameter.copy_(value);
        }
    }

    /// <summary>A model with every parameter drawn from <paramref name="seed"/>, in float64 unless told otherwise.</summary>
    public static AutoregressiveEnergyMachine Aem(AemOptions options, ulong seed, bool keepZeros = false, ScalarType dtype = ScalarType.Float64, double scale = 1.0)
    {
        var model = new AutoregressiveEnergyMachine(options);
        model.to(dtype);
        Randomize(model, seed, keepZeros, scale);
        return model;
    }

    /// <summary>A small architecture for fast tests.</summary>
    public static AemOptions Small(int features, ProposalKind proposal = ProposalKind.MixtureOfGaussians, double dropout = 0) => new()
    {
        Features = features,
        HiddenFeatures = 16,
        ContextFeatures = 4,
        EnergyHiddenFeatures = 16,
        ResMadeBlocks = 2,
        EnergyBlocks = 2,
        Components = 3,
        Proposal = proposal,
        Dropout = dropout,
    };

    /// <summary>All parameters as detached copies, by name.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
}
