using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Figures;

/// <summary>Small seeded float64 two-dimensional models for the figure tests.</summary>
internal static class FigureTestModels
{
    public static AutoregressiveEnergyMachine Create(ProposalKind proposal, int seed = 3, int features = 2)
    {
        set_num_threads(1);
        manual_seed(seed);
        var model = new AutoregressiveEnergyMachine(new AemOptions
        {
            Features = features,
            HiddenFeatures = 16,
            ContextFeatures = 8,
            EnergyHiddenFeatures = 16,
            ResMadeBlocks = 1,
            EnergyBlocks = 1,
            Components = proposal == ProposalKind.Uniform ? 0 : 3,
            Proposal = proposal,
        });
        model.to(float64);
        // Random (not zero) residual outputs, so φ varies with x and the context and the tests have something to check.
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.Contains("blocks", StringComparison.Ordinal)) parameter.normal_(0, 0.3);
            }
        }
        model.eval();
        return model;
    }
}
