using Aem.Runs;
using Aem.Tests.Training;
using Aem.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Checkpoints;

/// <summary>
/// Tests that rely on libtorch's global generator, which dropout draws from: the trainer seeds it
/// at every step, and a test class running in parallel that draws from it in between (building a
/// model, say) would change the dropout masks. xunit runs this collection alone, after the others.
/// </summary>
[CollectionDefinition(nameof(GlobalRandomState), DisableParallelization = true)]
public sealed class GlobalRandomState;

[Collection(nameof(GlobalRandomState))]
public class ResumeTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"aem-resume-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void ResumedTraining_EndsWithExactlyTheWeightsOfAnUninterruptedRun()
    {
        const int steps = 10, stopAt = 5;
        // Dropout covers the per-step dropout seeding; a warm-up step covers the α switch.
        var options = TestModels.Small(2, dropout: 0.2);
        var training = new TrainerOptions
        {
            BatchSize = 32, Steps = steps, WarmupSteps = 2, LearningRate = 3e-3, ValidateEvery = 3,
            ReportEvery = 1, CheckpointEvery = 0, Seed = 11,
        };
        var objective = new AemObjectiveOptions { ValidationSamples = 20 };
        using var data = Data(200, seed: 1);
        using var validation = Data(50, seed: 2);

        using var straight = TestModels.Aem(options, seed: 3, keepZeros: true, dtype: ScalarType.Float32);
        TrainingState<ValidationScore> straightState;
        using (var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(straight, objective), training)) straightState = trainer.Run(data, validation).State;

        var run = new RunCheckpoints(Path.Combine(root, "run"), new RunFile { Model = options, Training = training, Objective = objective });
        using (var first = TestModels.Aem(options, seed: 3, keepZeros: true, dtype: ScalarType.Float32))
        using (var cancellation = new CancellationTokenSource())
        using (var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(first, objective), training))
        {
            var stop = new SynchronousProgress<TrainingProgress<AemStep, ValidationScore>>(p =>
            {
                if (p.Step == stopAt) cancellation.Cancel();
            });
            var interrupted = trainer.Run(data, validation, stop, run, cancellation.Token);
            Assert.Equal(StopReason.Cancelled, interrupted.Reason);
            Assert.Equal(stopAt, interrupted.State.Step);
        }

        var last = SavedRun.Open(RunLayout.LastOf(run.Folder));
        using var resumed = last.LoadModel();
        {
            Assert.Equal(stopAt, last.File.State.Step);
            using var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(resumed, last.File.Objective), last.File.Training, last.File.State);
            last.LoadOptimizer(trainer.Optimizer);
            var result = trainer.Run(data, validation);
            Assert.Equal(StopReason.Completed, result.Reason);
            Assert.Equal(steps, result.State.Step);

            var expected = straight.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, parameter) in resumed.named_parameters())
            {
                double difference = (parameter - expected[name]).abs().max().ToDouble();
                Assert.True(difference == 0, $"{name} differs from the uninterrupted run by {difference}");
            }
            Assert.Equal(straightState.History.Select(h => h.LogDensity), result.State.History.Select(h => h.LogDensity));
            Assert.Equal(straightState.BestStep, result.State.BestStep);
        }
    }

    [Fact]
    public void ResumedTraining_WithTwoWorkers_EndsWithExactlyTheWeightsOfAnUninterruptedRun()
    {
        const int steps = 8, stopAt = 3;
        var options = TestModels.Small(2) with { Dropout = 0.1 };
        var training = new TrainerOptions
        {
            BatchSize = 32, Steps = steps, WarmupSteps = 0, LearningRate = 3e-3, ValidateEvery = 4,
            ReportEvery = 1, CheckpointEvery = 0, Seed = 13,
        };
        // 32 × 2 × 21 = 1,344 rows in five micro-batches, with dropout: the two workers run the even and odd ones.
        var objective = new AemObjectiveOptions { ValidationSamples = 20, MicroBatchRows = 300 };
        Assert.True(TrainingParallelism.CanUseWorkers(options, objective, training.BatchSize));
        using var data = Data(200, seed: 1);
        using var validation = Data(50, seed: 2);

        using var straight = TestModels.Aem(options, seed: 3, keepZeros: true, dtype: ScalarType.Float32);
        using (var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(straight, objective) { Workers = 2 }, training)) trainer.Run(data, validation);

        var run = new RunCheckpoints(Path.Combine(root, "run2"), new RunFile { Model = options, Training = training, Objective = objective });
        using (var first = TestModels.Aem(options, seed: 3, keepZeros: true, dtype: ScalarType.Float32))
        using (var cancellation = new CancellationTokenSource())
        using (var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(first, objective) { Workers = 2 }, training))
        {
            var stop = new SynchronousProgress<TrainingProgress<AemStep, ValidationScore>>(p =>
            {
                if (p.Step == stopAt) cancellation.Cancel();
            });
            Assert.Equal(StopReason.Cancelled, trainer.Run(data, validation, stop, run, cancellation.Token).Reason);
        }

        var last = SavedRun.Open(RunLayout.LastOf(run.Folder));
        using var resumed = last.LoadModel();
        using (var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(resumed, last.File.Objective) { Workers = 2 }, last.File.Training, last.File.State))
        {
            last.LoadOptimizer(trainer.Optimizer);
            Assert.Equal(steps, trainer.Run(data, validation).State.Step);
        }
        var expected = straight.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in resumed.named_parameters())
        {
            double difference = (parameter - expected[name]).abs().max().ToDouble();
            Assert.True(difference == 0, $"{name} differs from the uninterrupted run by {difference}");
        }
    }

    private static Tensor Data(int rows, ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        return randn([rows, 2], generator: generator);
    }
}
