using Aem.Model;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// How a training step uses the cores: intra-op threads (torch splits every operation among them) or two
/// workers with one intra-op thread each (one runs a step's even micro-batches, the other its odd ones, see
/// <see cref="AemObjective.Workers"/>). A small model's step is hundreds of short operations, each a
/// parallel region ending at a barrier, and two threads gain little there (the demo model: 43–46
/// steps/s on 1 or 2 threads alike); a large model's products split well. Which is faster depends on the
/// model, the machine and its load, so <see cref="Choose"/> measures them.
/// </summary>
public static class TrainingParallelism
{
    /// <summary>
    /// Whether two workers can run a step of <paramref name="model"/> in batches of <paramref name="batchSize"/>:
    /// the batch must be at least two micro-batches (see <see cref="AemObjective.Workers"/>).
    /// </summary>
    public static bool CanUseWorkers(AemOptions model, AemObjectiveOptions objective, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.MicroBatchRows is not { } rows || batchSize < 2) return false;
        long total = (long)batchSize * model.Features * (1 + objective.TrainingSamples);
        return (total + rows - 1) / rows >= 2;
    }

    /// <summary>
    /// Sets torch's thread count and <see cref="TorchRuntime.TrainingWorkers"/> to the fastest of
    /// <paramref name="cores"/> intra-op threads, one thread, and two workers of one thread, timing training steps of a
    /// throwaway model of <paramref name="model"/> with each, in turn, twice (about
    /// <c>6 × (warm + probe)</c> seconds); where workers cannot apply (one core, a batch of one micro-batch, a GPU) it sets <paramref name="cores"/> threads without measuring.
    /// </summary>
    public static ParallelismChoice Choose(
        AemOptions model,
        Device? device,
        TrainerOptions options,
        AemObjectiveOptions objective,
        Tensor train,
        int cores,
        double probeSeconds = 0.4,
        double warmSeconds = 0.3)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        if (cores < 1) throw new ArgumentOutOfRangeException(nameof(cores), cores, "Need at least one core.");
        bool cpu = device is null || device.type == DeviceType.CPU;
        if (cores < 2 || !cpu || !CanUseWorkers(model, objective, options.BatchSize))
        {
            return Apply(new ParallelismChoice(cores, 1, null, null));
        }
        // One thread is a candidate too: where a step is hundreds of short operations, a second intra-op thread
        // can cost more at its barriers than it gains (AMD EPYC Zen 5, demo model at batch 128, medians of
        // interleaved runs: 1 thread 106, 2 threads 101, 2 workers 173 steps/s).
        double threadsRate = 0, oneRate = 0, workersRate = 0;
        for (int round = 0; round < 2; round++)
        {
            threadsRate = Math.Max(threadsRate, Rate(new ParallelismChoice(cores, 1, null, null)));
            oneRate = Math.Max(oneRate, Rate(new ParallelismChoice(1, 1, null, null)));
            workersRate = Math.Max(workersRate, Rate(new ParallelismChoice(1, 2, null, null)));
        }
        var (chosenThreads, chosenWorkers) = workersRate > Math.Max(threadsRate, oneRate) ? (1, 2) : oneRate > threadsRate ? (1, 1) : (cores, 1);
        return Apply(new ParallelismChoice(chosenThreads, chosenWorkers, threadsRate, workersRate) { OneThreadStepsPerSecond = oneRate });

        double Rate(ParallelismChoice candidate)
        {
            Apply(candidate);
            var speed = SpeedEstimate.Measure(
                () =>
                {
                    var probeModel = new AutoregressiveEnergyMachine(model);
                    if (device is not null) probeModel.to(device);
                    return probeModel;
                },
                options with { ValidateEvery = 0 }, objective, train, validation: null,
                probeSeconds: probeSeconds, maxProbeSteps: 200, warmSeconds: warmSeconds);
            return 1 / speed.SecondsPerStep;
        }
    }

    private static ParallelismChoice Apply(ParallelismChoice choice)
    {
        TorchRuntime.SetThreads(choice.Threads);
        TorchRuntime.SetTrainingWorkers(choice.Workers);
        return choice;
    }
}
