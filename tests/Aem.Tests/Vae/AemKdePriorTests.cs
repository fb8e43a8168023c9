using Aem.Evaluation;
using Aem.Tests.Evaluation;
using Aem.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Vae;

/// <summary>The AEM-KDE prior is a normalised, deterministic density that is the KDE library's value.</summary>
public sealed class AemKdePriorTests
{
    [Fact]
    public void LogProb_OfAOneDimensionalLatent_IntegratesToOne()
    {
        using var model = EvaluationModels.Create(1);
        using var prior = new AemKdePrior(model, bandwidth: 0.2, proposalWeight: 0.1, samples: 200, seed: 3);
        const int points = 1_201;
        using var grid = linspace(-15, 15, points, dtype: float64).unsqueeze(1);       // [G, 1]
        using var logP = prior.LogProb(grid);
        using var density = logP.exp();
        double integral = trapz(density, dx: 30.0 / (points - 1)).ToDouble();

        Assert.Equal(1.0, integral, 3);
    }

    [Fact]
    public void LogProb_IsTheKdeLibrarysValue_AndDoesNotDependOnTheBatch()
    {
        using var model = EvaluationModels.Create(2);
        using var prior = new AemKdePrior(model, bandwidth: 0.3, proposalWeight: 0.2, samples: 50, seed: 7);
        using var z = tensor(new[] { 0.3, -0.4, 1.1, 0.2, -0.7, 0.9 }, [3, 2], float64);

        using var batch = prior.LogProb(z);
        using var alone = prior.LogProb(z.narrow(0, 2, 1));
        using var generator = new Generator(7, CPU);
        using var scores = AemKde.Score(model, z.narrow(0, 2, 1), 50, [0.3], [0.2], generator);

        Assert.True(batch.isfinite().all().ToBoolean());
        Assert.Equal(batch[2].ToDouble(), alone[0].ToDouble(), 12);
        Assert.Equal(scores.LogKde.reshape(-1)[0].ToDouble(), alone[0].ToDouble(), 12);
        Assert.True(prior.IsExact);
    }
}
