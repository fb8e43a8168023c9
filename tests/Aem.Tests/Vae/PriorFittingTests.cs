using Aem.Model;
using Aem.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Vae;

public sealed class PriorFittingTests
{
    [Fact]
    public void Settings_AreThePapersVaePriorPreset()
    {
        var model = PriorFitting.Model(32);
        var aem = PriorFitting.Training(LatentPriorKind.Aem);

        Assert.Equal((32, 512, 0.5, 20), (model.Features, model.HiddenFeatures, model.Dropout, model.Components));
        Assert.Equal((256, 100_000, 0), (aem.BatchSize, aem.Steps, aem.WarmupSteps));
        Assert.Equal(500, PriorFitting.Training(LatentPriorKind.Proposal, steps: 500).WarmupSteps);
    }

    [Fact]
    public void ProposalPrior_TrainsTheProposalButNeverTheEnergyNet()
    {
        random.manual_seed(1);
        var aem = new AutoregressiveEnergyMachine(new AemOptions { Features = 3, HiddenFeatures = 16, ContextFeatures = 4, EnergyHiddenFeatures = 8, Components = 3 });
        var energyBefore = aem.EnergyNet.parameters().Select(p => p.clone()).ToArray();
        var resmadeBefore = aem.ResMade.parameters().Select(p => p.clone()).ToArray();
        using var latents = randn([256, 3], generator: new Generator(2, CPU)) * 0.5 + 1;
        var options = PriorFitting.Training(LatentPriorKind.Proposal, steps: 20) with { BatchSize = 32, ValidateEvery = 0 };
        var prior = new ProposalPrior(aem);
        double before = prior.LogProb(latents).mean().ToDouble();

        using (var trainer = Aem.Tests.Training.TestTrainers.Aem(aem, options)) trainer.Run(latents);

        Assert.True(prior.LogProb(latents).mean().ToDouble() > before, "log q should rise");
        Assert.All(aem.EnergyNet.parameters().Zip(energyBefore), pair => Assert.True(pair.First.Equals(pair.Second)));
        Assert.Contains(aem.ResMade.parameters().Zip(resmadeBefore), pair => !pair.First.Equals(pair.Second));
    }
}
