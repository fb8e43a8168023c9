using Aem.Randomness;
using Aem.Runs;
using Aem.Tests.Checkpoints;
using Aem.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Training;

public class TrainerTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"aem-trainer-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void WarmUp_LeavesTheEnergyNetUnchanged_ThenTrainsIt()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 1, keepZeros: true);
        using var data = Data(256, seed: 2);
        var before = TestModels.Snapshot(model);
        Dictionary<string, Tensor>? atEndOfWarmup = null;
        var progress = new SynchronousProgress<TrainingProgress<AemStep, ValidationScore>>(p =>
        {
            if (p.Step == 3) atEndOfWarmup = TestModels.Snapshot(model);
        });
        using var trainer = TestTrainers.Aem(model, new TrainerOptions { BatchSize = 32, Steps = 6, WarmupSteps = 3, LearningRate = 1e-2, ValidateEvery = 0, ReportEvery = 1 });
        var result = trainer.Run(data, progress: progress);
        Assert.Equal(StopReason.Completed, result.Reason);
        Assert.NotNull(atEndOfWarmup);
        var after = TestModels.Snapshot(model);
        foreach (var (name, initial) in before)
        {
            bool changedInWarmup = !initial.Equals(atEndOfWarmup![name]);
            if (name.StartsWith("energy_net.", StringComparison.Ordinal))
            {
                Assert.False(changedInWarmup, $"{name} changed during warm-up");
                Assert.False(initial.Equals(after[name]), $"{name} did not change after warm-up");
            }
        }
        Assert.False(before["resmade.final.bias"].Equals(atEndOfWarmup!["resmade.final.bias"]), "the proposal did not train during warm-up");
    }

    [Fact]
    public void WarmUp_AdvancesTheEnergyNetsAdamSteps_WithoutMovingIt()
    {
        // As in the authors' code (α = 0 multiplies the energy term): the energy net's gradient is zero in the
        // warm-up, so its Adam step count advances with the rest while its weights stay put.
        using var model = TestModels.Aem(TestModels.Small(2), seed: 1, keepZeros: true);
        using var data = Data(256, seed: 2);
        var names = model.named_parameters().Select(p => p.name).ToList();
        int energy = names.FindIndex(n => n.StartsWith("energy_net.", StringComparison.Ordinal));
        Tensor? atEndOfWarmup = null;
        var before = TestModels.Snapshot(model)[names[energy]];
        var progress = new SynchronousProgress<TrainingProgress<AemStep, ValidationScore>>(p =>
        {
            if (p.Step == 3) atEndOfWarmup = TestModels.Snapshot(model)[names[energy]];
        });
        using var trainer = TestTrainers.Aem(
            model, new TrainerOptions { BatchSize = 32, Steps = 4, WarmupSteps = 3, LearningRate = 1e-2, ValidateEvery = 0, ReportEvery = 1 });
        trainer.Run(data, progress: progress);
        var state = (TorchSharp.Modules.Adam.State)((TorchSharp.Modules.Adam)trainer.Optimizer).state_dict().State[energy];
        Assert.Equal(4, state.step);
        Assert.True(before.Equals(atEndOfWarmup!), "the energy net moved during the warm-up");
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50, 0.5)]
    [InlineData(100, 0.0)]
    [InlineData(150, 0.0)]
    [InlineData(25, 0.85355339059327373)]
    public void CosineSchedule_AnnealsFromLearningRateToZero(int step, double fraction)
    {
        Assert.Equal(2e-3 * fraction, CosineSchedule.LearningRate(2e-3, step, 100), 1e-15);
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(4, 0.5)]
    [InlineData(9, 1.0)]
    [InlineData(10, 1.0)]
    public void LearningRateRamp_ScalesTheCosineLinearlyOverItsSteps(int step, double share)
    {
        Assert.Equal(CosineSchedule.LearningRate(2e-3, step, 100) * share, CosineSchedule.LearningRate(2e-3, step, 100, rampSteps: 10), 1e-15);
        Assert.Equal(CosineSchedule.LearningRate(2e-3, step, 100), CosineSchedule.LearningRate(2e-3, step, 100, rampSteps: 0), 1e-15);
    }

    [Fact]
    public void Trainer_AppliesTheRamp()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 3, keepZeros: true);
        using var data = Data(64, seed: 4);
        using var trainer = TestTrainers.Aem(model, new TrainerOptions { BatchSize = 16, Steps = 2, LearningRate = 1e-3, LearningRateRampSteps = 8, ValidateEvery = 0 });
        trainer.Run(data);
        // The second step (index 1) ran at 2/8 of the cosine's rate for step 1 of 2.
        Assert.Equal(CosineSchedule.LearningRate(1e-3, 1, 2) * 2 / 8, trainer.Optimizer.ParamGroups.First().LearningRate, 1e-15);
    }

    [Fact]
    public void Trainer_AppliesTheCosineSchedule()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 3, keepZeros: true);
        using var data = Data(64, seed: 4);
        using var trainer = TestTrainers.Aem(model, new TrainerOptions { BatchSize = 16, Steps = 4, LearningRate = 1e-3, ValidateEvery = 0 });
        trainer.Run(data);
        // The last step (index 3 of 4) ran at lr · (1 + cos(3π/4)) / 2.
        Assert.Equal(CosineSchedule.LearningRate(1e-3, 3, 4), trainer.Optimizer.ParamGroups.First().LearningRate, 1e-15);
    }

    [Fact]
    public void MicroBatches_GiveTheGradientOfTheWholeBatch()
    {
        // Each example's log Ẑ uses only its own samples, so accumulating the gradients of micro-batches
        // is the gradient of the whole batch's loss. Piece i of step t draws its samples from the stream
        // (seed, t, i); one graph over the same pieces and samples must give the same gradient.
        var options = TestModels.Small(2);
        using var micro = TestModels.Aem(options, seed: 16);
        using var whole = TestModels.Aem(options, seed: 16);
        using var batch = Data(32, seed: 17);
        var training = new TrainerOptions { BatchSize = 32, Steps = 3, LearningRate = 1e-2, ValidateEvery = 0, Seed = 5 };
        // 32 examples of D · (1 + S) = 18 rows in pieces of at most 180: four pieces of 8.
        var objective = new AemObjectiveOptions { TrainingSamples = 8, MicroBatchRows = 180 };
        const int step = 2;
        using (var aem = new AemObjective(micro, objective)) aem.Backward(batch, new StepContext(step, false, training));

        using var generator = new Generator(0, CPU);
        long stepSeed = Seeds.Derive(training.Seed, Seeds.Streams.Proposal, step);
        var total = zeros(1, dtype: batch.dtype);
        for (int i = 0; i < 4; i++)
        {
            generator.manual_seed(Seeds.Derive(stepSeed, Seeds.Streams.Proposal, i));
            using var output = whole.Forward(batch.narrow(0, 8 * i, 8), objective.TrainingSamples, generator);
            total = total + output.LogDensity.sum() + output.LogProposal.sum();
        }
        (total / -32.0).backward();
        var expected = whole.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (name, parameter) in micro.named_parameters())
        {
            Assert.True(parameter.grad!.allclose(expected[name], rtol: 1e-9, atol: 1e-12), $"{name}: micro-batched gradient differs from the whole batch's");
        }
        Assert.True(expected["energy_net.input.weight"].abs().sum().ToDouble() > 0, "no gradient reached the energy net");
    }

    [Fact]
    public void EarlyStopping_StopsWhenValidationDoesNotImprove()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 5, keepZeros: true);
        using var data = Data(128, seed: 6);
        using var validation = Data(64, seed: 7);
        // A learning rate so small that no float64 weight moves: every validation scores the same.
        using var trainer = TestTrainers.Aem(model, new TrainerOptions
        {
            BatchSize = 32, Steps = 50, LearningRate = 1e-300, ValidateEvery = 1, Patience = 1,
        }, new AemObjectiveOptions { ValidationSamples = 10 });
        var result = trainer.Run(data, validation);
        Assert.Equal(StopReason.EarlyStopped, result.Reason);
        Assert.Equal(2, result.State.Step);
        Assert.Equal(1, result.State.BestStep);
        Assert.Equal(2, result.State.History.Count);
        Assert.Equal(result.State.History[0].LogDensity, result.State.History[1].LogDensity);
    }

    [Fact]
    public void NonFiniteLoss_SkipsTheUpdate_AndStopsAfterMaxNonFiniteSteps()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 8, keepZeros: true);
        using var data = full(64, 2, double.NaN, dtype: float64);
        var before = TestModels.Snapshot(model);
        using var trainer = TestTrainers.Aem(model, new TrainerOptions { BatchSize = 16, Steps = 20, ValidateEvery = 0, MaxNonFiniteSteps = 3 });
        var result = trainer.Run(data);
        Assert.Equal(StopReason.NonFinite, result.Reason);
        Assert.Equal(3, result.State.Step);
        Assert.Contains("non-finite", result.Message, StringComparison.Ordinal);
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(before[name].Equals(parameter), $"{name} changed in a skipped step");
        }
    }

    [Fact]
    public void HugeLearningRate_StopsWithNonFinite_KeepingTheLastFiniteWeights()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 9, keepZeros: true);
        using var data = Data(128, seed: 10);
        Dictionary<string, Tensor>? lastReported = null;
        var progress = new SynchronousProgress<TrainingProgress<AemStep, ValidationScore>>(p => lastReported = TestModels.Snapshot(model));
        // The first update throws the weights to ~1e30; the forward pass then overflows.
        using var trainer = TestTrainers.Aem(model, new TrainerOptions { BatchSize = 32, Steps = 50, LearningRate = 1e30, ValidateEvery = 0, ReportEvery = 1, MaxNonFiniteSteps = 3 });
        var result = trainer.Run(data, progress: progress);
        Assert.Equal(StopReason.NonFinite, result.Reason);
        Assert.NotNull(lastReported);
        // Reports follow successful steps only: nothing changed after the last one.
        Assert.All(model.named_parameters(), p =>
        {
            Assert.True(p.parameter.isfinite().all().item<bool>(), $"{p.name} is not finite");
            Assert.True(lastReported![p.name].Equals(p.parameter), $"{p.name} changed in a skipped step");
        });
    }

    [Fact]
    public void Cancellation_StopsWithCancelled_AndWritesTheLastCheckpoint()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 11, keepZeros: true);
        using var data = Data(128, seed: 12);
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress<AemStep, ValidationScore>>(p =>
        {
            if (p.Step == 3) cancellation.Cancel();
        });
        var run = new RunCheckpoints(directory, TestCheckpoints.Record(model.Options));
        using var trainer = TestTrainers.Aem(model, new TrainerOptions { BatchSize = 32, Steps = 100, ValidateEvery = 0, ReportEvery = 1, CheckpointEvery = 0 });
        var result = trainer.Run(data, progress: progress, checkpoints: run, cancellationToken: cancellation.Token);
        Assert.Equal(StopReason.Cancelled, result.Reason);
        Assert.Equal(3, result.State.Step);
        var manifest = SavedRun.Open(RunLayout.LastOf(run.Folder)).File;
        Assert.Equal(3, manifest.State.Step);
        Assert.True(File.Exists(Path.Combine(RunLayout.LastOf(run.Folder), RunLayout.OptimizerFile)), "the last checkpoint must be resumable");
    }

    [Fact]
    public void BatchLargerThanData_IsRejectedClearly()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 13, keepZeros: true);
        using var data = Data(100, seed: 14);
        using var trainer = TestTrainers.Aem(model, new TrainerOptions { BatchSize = 256, Steps = 1 });
        var ex = Assert.Throws<ArgumentException>(() => trainer.Run(data));
        Assert.Contains("batch size (256) exceeds the number of training points (100)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongDataShape_IsRejectedClearly()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 15, keepZeros: true);
        using var data = zeros(100, 3, dtype: float64);
        using var trainer = TestTrainers.Aem(model, new TrainerOptions { BatchSize = 10, Steps = 1 });
        var ex = Assert.Throws<ArgumentException>(() => trainer.Run(data));
        Assert.Contains("training data has shape [100, 3] but the model expects [N, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATimeLimit_BeforeTheFirstValidation_ValidatesOnce_AndKeepsThatAsTheBest()
    {
        using var model = TestModels.Aem(TestModels.Small(2), seed: 1, keepZeros: true);
        using var data = Data(256, seed: 2);
        using var validation = Data(64, seed: 3);
        var sink = new CountingSink();
        var options = new TrainerOptions
        {
            BatchSize = 32, Steps = 1_000_000, ValidateEvery = 1_000_000, ValidationPoints = 64, LearningRate = 1e-3,
            MaxDuration = TimeSpan.FromMilliseconds(300), ReportEvery = 1_000, CheckpointEvery = 0,
        };
        using var trainer = TestTrainers.Aem(model, options, new AemObjectiveOptions { ValidationSamples = 10 });
        var result = trainer.Run(data, validation, checkpoints: sink);

        Assert.Equal(StopReason.TimeLimit, result.Reason);
        Assert.InRange(result.State.Step, 1, options.Steps - 1);
        Assert.Single(result.State.History);
        Assert.Equal(result.State.Step, result.State.BestStep);
        Assert.Equal((1, 1), (sink.Best, sink.Last));
    }

    private sealed class CountingSink : ICheckpointSink<AemStep, ValidationScore>
    {
        public int Best { get; private set; }

        public int Last { get; private set; }

        public void SaveBest(Trainer<AemStep, ValidationScore> trainer) => Best++;

        public void SaveLast(Trainer<AemStep, ValidationScore> trainer) => Last++;
    }

    private static Tensor Data(int rows, ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        return randn([rows, 2], dtype: float64, generator: generator);
    }
}
