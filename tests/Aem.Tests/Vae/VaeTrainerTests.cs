using Aem.Runs;
using Aem.Model;
using Aem.Training;
using Aem.Vae;
using static TorchSharp.torch;

namespace Aem.Tests.Vae;

// Seeds and draws from libtorch's global generator (the resume test repeats a run exactly).
[Collection(nameof(Aem.Tests.Checkpoints.GlobalRandomState))]
public sealed class VaeTrainerTests : IDisposable
{
    private static readonly VaeOptions Tiny = new() { Latents = 4, Channels = 4, Downsamplings = 2, ImageSize = 8 };
    private readonly string directory = Path.Combine(Path.GetTempPath(), "aem-vae-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <summary>Grey images of two kinds (left half bright or top half bright), so there is structure to learn.</summary>
    private static Tensor GreyImages(int count)
    {
        var images = full([count, 1, 8, 8], 0.05);
        for (int i = 0; i < count; i++)
        {
            if (i % 2 == 0) images[i, 0, .., ..4] = tensor(0.95f);
            else images[i, 0, ..4, ..] = tensor(0.95f);
        }
        return images;
    }

    [Fact]
    public void AFewTrainingSteps_RaiseTheValidationElbo()
    {
        random.manual_seed(1);
        var vae = new ConvVae(Tiny);
        using var train = GreyImages(64);
        using var validation = Binarization.Fixed(GreyImages(32), 7);
        var objective = new VaeObjective(vae);
        using var trainer = new Trainer<VaeStep, VaeValidationScore>(objective, new TrainerOptions { BatchSize = 16, Steps = 60, LearningRate = 3e-3, ValidateEvery = 0 });

        double before = objective.Score(validation, 0, trainer.Options).Elbo;
        var result = trainer.Run(train);
        double after = objective.Score(validation, 60, trainer.Options).Elbo;

        Assert.Equal(StopReason.Completed, result.Reason);
        Assert.Equal(60, result.State.Step);
        Assert.True(after > before + 5, $"validation ELBO {before:F2} → {after:F2}");
    }

    [Fact]
    public void ResumedRun_EndsWithTheSameWeightsAsAnUninterruptedOne()
    {
        var options = new TrainerOptions { BatchSize = 8, Steps = 6, LearningRate = 1e-3, ValidateEvery = 0, CheckpointEvery = 0, ReportEvery = 1 };
        using var train = GreyImages(24);

        random.manual_seed(2);
        var straight = new ConvVae(Tiny);
        using (var trainer = new Trainer<VaeStep, VaeValidationScore>(new VaeObjective(straight), options)) trainer.Run(train);

        random.manual_seed(2);
        var first = new ConvVae(Tiny);
        var run = new VaeCheckpoint(directory, new VaeRunFile { Model = Tiny, Training = options });
        using (var trainer = new Trainer<VaeStep, VaeValidationScore>(new VaeObjective(first), options))
        {
            using var cancel = new CancellationTokenSource();
            var progress = new SynchronousProgress<TrainingProgress<VaeStep, VaeValidationScore>>(p => { if (p.Step == 3) cancel.Cancel(); });
            var partial = trainer.Run(train, progress: progress, checkpoints: run, cancellationToken: cancel.Token);
            Assert.Equal(StopReason.Cancelled, partial.Reason);
            Assert.Equal(3, partial.State.Step);
        }
        var (resumed, manifest) = VaeCheckpoint.Load(RunLayout.LastOf(directory));
        using (var trainer = new Trainer<VaeStep, VaeValidationScore>(new VaeObjective(resumed, manifest.Objective), manifest.Training, manifest.State))
        {
            VaeCheckpoint.LoadOptimizer(RunLayout.LastOf(directory), trainer.Optimizer);
            trainer.Run(train);
        }

        var expected = straight.parameters().ToArray();
        var actual = resumed.parameters().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(expected[i].allclose(actual[i], rtol: 0, atol: 1e-6), $"parameter {i}");
    }

    [Fact]
    public void Checkpoint_RoundTripGivesTheSameLikelihood_AndAnAemCheckpointIsRefused()
    {
        random.manual_seed(3);
        var vae = new ConvVae(Tiny);
        using var x = Binarization.Fixed(GreyImages(4), 1);
        using var z = randn([4, 2, 4], generator: new Generator(1, CPU));
        using (var trainer = new Trainer<VaeStep, VaeValidationScore>(new VaeObjective(vae), new TrainerOptions { BatchSize = 4, Steps = 1 }))
        {
            new VaeCheckpoint(directory, new VaeRunFile { Model = Tiny, Training = trainer.Options }).SaveBest(trainer);
        }
        string path = RunLayout.BestOf(directory);

        var (loaded, manifest) = VaeCheckpoint.Load(path);

        Assert.Equal(Tiny, manifest.Model);
        Assert.True(vae.LogLikelihood(x, z).allclose(loaded.LogLikelihood(x, z), rtol: 0, atol: 1e-6));
        string aem = Path.Combine(directory, "aem");
        Aem.Tests.Checkpoints.TestCheckpoints.Save(aem, new AutoregressiveEnergyMachine(new AemOptions { Features = 2, HiddenFeatures = 8 }), null, Aem.Tests.Checkpoints.TestCheckpoints.Record(new AemOptions { Features = 2, HiddenFeatures = 8 }));
        var error = Assert.Throws<CheckpointException>(() => VaeCheckpoint.Load(aem));
        Assert.Contains("not a VAE checkpoint", error.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
