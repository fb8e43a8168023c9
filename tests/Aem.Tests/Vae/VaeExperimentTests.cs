using Aem.Runs;
using Aem.Tests.Data;
using Aem.Training;
using Aem.Vae;

namespace Aem.Tests.Vae;

/// <summary>The whole experiment on generated MNIST-format files with a tiny VAE and a few steps of everything.</summary>
public sealed class VaeExperimentTests : IDisposable
{
    private static readonly VaeOptions Tiny = new() { Latents = 2, Channels = 2, Downsamplings = 2, BlocksPerStage = 0 };
    private readonly string directory = Path.Combine(Path.GetTempPath(), "aem-vae-experiment-" + Guid.NewGuid().ToString("N"));

    public VaeExperimentTests()
    {
        Directory.CreateDirectory(directory);
        // 10,040 training images (the last 10,000 are held out) and 12 test images of random grey levels.
        var random = new Random(1);
        var train = new byte[10_040 * 784];
        random.NextBytes(train);
        var test = new byte[12 * 784];
        random.NextBytes(test);
        File.WriteAllBytes(Path.Combine(directory, Mnist.TrainImages), IdxReaderTests.Idx([10_040, 28, 28], train));
        IdxReaderTests.WriteGzip(Path.Combine(directory, Mnist.TestImages + ".gz"), IdxReaderTests.Idx([12, 28, 28], test));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void PretrainFitEvaluateAndFigure_RunEndToEnd_AndResumeOnlyWhenAsked()
    {
        string vaeRun = Path.Combine(directory, "vae"), resmadeRun = Path.Combine(directory, "resmade"), aemRun = Path.Combine(directory, "aem");
        var training = VaeExperiment.PretrainingDefaults with { BatchSize = 10, Steps = 3, ValidateEvery = 3, ValidationPoints = 20 };

        var pretrained = VaeExperiment.Pretrain(directory, vaeRun, Tiny, training);
        Assert.Equal(StopReason.Completed, pretrained.Reason);
        Assert.Throws<InvalidOperationException>(() => VaeExperiment.Pretrain(directory, vaeRun, Tiny, training));
        Assert.Equal(3, VaeExperiment.Pretrain(directory, vaeRun, Tiny, training, resume: true).State.Step);

        var fit = new PriorFitOptions { Steps = 2, BatchSize = 16, ValidateEvery = 2, ValidationPoints = 20, ValidationSamples = 5 };
        var proposal = VaeExperiment.FitPrior(vaeRun, directory, resmadeRun, LatentPriorKind.Proposal, fit);
        var aem = VaeExperiment.FitPrior(vaeRun, directory, aemRun, LatentPriorKind.Aem, fit with { InitialWeights = resmadeRun });
        Assert.Equal((2, 2), (proposal.State.Step, aem.State.Step));
        using (var latents = LatentFile.TryLoad(Path.Combine(aemRun, "latents", "train.bin")))
        {
            Assert.Equal(new long[] { 40 * 10, 2 }, latents!.shape);               // 40 training images × 10 latents
        }
        // A second fit with the same VAE and settings reuses the cached latents.
        var messages = new List<string>();
        VaeExperiment.FitPrior(vaeRun, directory, aemRun, LatentPriorKind.Aem, fit with { Steps = 3 }, resume: true, status: new Collect(messages));
        Assert.Contains(messages, m => m.StartsWith("Reusing", StringComparison.Ordinal));

        var evaluation = new VaeEvaluationOptions { Samples = 4, PriorSamples = 10, KdeSamples = 10, KdeValidationPoints = 20, MaxPoints = 5 };
        var rows = VaeExperiment.Evaluate(vaeRun, directory, resmadeRun, aemRun, evaluation);
        Assert.Equal(["Gaussian", "ResMADE", "AEM's proposal", "AEM", "AEM-KDE"], rows.Select(r => r.Prior.Split(" (S")[0]));
        Assert.All(rows, r => Assert.Equal(5, r.LogLikelihood.Length));
        Assert.All(rows, r => Assert.All(r.LogLikelihood.Zip(r.Elbo), p => Assert.True(p.First >= p.Second && double.IsFinite(p.First))));
        Assert.Equal([true, true, true, false, true], rows.Select(r => r.PriorIsExact));

        string figure = Path.Combine(directory, "figure6.png");
        VaeExperiment.Figure(vaeRun, aemRun, directory, figure, count: 4, columns: 2, proposalSamples: 10);
        Assert.True(new FileInfo(figure).Length > 100);
    }

    private sealed class Collect(List<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Add(value);
    }

    [Fact]
    public void AnAemRunIsNotAVae_AndTheErrorSaysSo()
    {
        string aem = Path.Combine(directory, "not-a-vae");
        var options = PriorFitting.Model(2) with { HiddenFeatures = 8 };
        Aem.Tests.Checkpoints.TestCheckpoints.Save(Path.Combine(aem, "best"), new Aem.Model.AutoregressiveEnergyMachine(options), null, Aem.Tests.Checkpoints.TestCheckpoints.Record(options));

        var error = Assert.Throws<CheckpointException>(() => VaeExperiment.Evaluate(aem, directory, null, null, new VaeEvaluationOptions { MaxPoints = 1 }));

        Assert.Contains("not a VAE checkpoint", error.Message, StringComparison.Ordinal);
    }
}
