using System.Diagnostics;
using Aem.Evaluation;
using Aem.Model;
using Aem.Presets;
using Aem.Runtime;
using Aem.Sampling;
using Aem.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Benchmarking;

/// <summary>
/// The measurements behind <c>aem bench</c> (docs/performance.md). Each case runs in the calling
/// process on the current thread setting; run each in a fresh process for a clean peak-memory figure.
/// </summary>
public static class BenchmarkCases
{
    /// <summary>Case names, in the order a full benchmark runs them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["matmul", "train-demo", "train-demo-workers", "train-2d", "train-2d-workers", "train-power", "train-power-workers", "train-hepmass", "train-hepmass-workers", "evaluate-power", "sample-2d"];

    /// <summary>
    /// Runs one case; <paramref name="repetitions"/> timed repetitions after one untimed warm-up.
    /// <c>train-demo</c> is the demo's model and batch (H 64, E 32, batch 512) on <paramref name="threads"/>
    /// intra-op threads; a <c>-workers</c> case is the same as its training case with two workers of <paramref name="threads"/> each.
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="threads">Torch compute threads to set for the case (process-wide).</param>
    /// <param name="repetitions">Timed repetitions (at least 1).</param>
    /// <param name="device">The compute device (default: the CPU).</param>
    /// <param name="microBatchRows">For the training cases: <see cref="Training.AemObjectiveOptions.MicroBatchRows"/> (null: the case's own — the demo's two pieces per batch for the demo cases, the trainer's default otherwise).</param>
    /// <returns>The median, fastest and slowest repetition in the case's unit, and the peak memory.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a known case.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="repetitions"/> is below 1.</exception>
    public static BenchmarkResult Run(string name, int threads, int repetitions = 20, Device? device = null, long? microBatchRows = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (repetitions < 1) throw new ArgumentOutOfRangeException(nameof(repetitions), repetitions, "Need at least one repetition.");
        device ??= CPU;
        set_num_threads(threads);
        TorchRuntime.SetTrainingWorkers(name.EndsWith("-workers", StringComparison.Ordinal) ? 2 : 1);
        PeakMemory.TryReset();
        return name switch
        {
            "matmul" => MatrixProduct(threads, repetitions, device),
            "train-demo" or "train-demo-workers" => TrainingStep(name, Demo.Model("checkerboard"), Demo.Training("checkerboard", repetitions + 1, seed: 1), Demo.Objective(), threads, repetitions, device, microBatchRows),
            "train-2d" or "train-2d-workers" => TrainingStep(name, Preset.Get("spirals"), threads, repetitions, device, microBatchRows),
            "train-power" or "train-power-workers" => TrainingStep(name, Preset.Get("power"), threads, repetitions, device, microBatchRows),
            "train-hepmass" or "train-hepmass-workers" => TrainingStep(name, Preset.Get("hepmass"), threads, repetitions, device, microBatchRows),
            "evaluate-power" => Evaluation(threads, repetitions, device),
            "sample-2d" => Sampling(threads, repetitions, device),
            _ => throw new ArgumentException($"Unknown benchmark case '{name}'; choose one of {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>
    /// The machine's practical float32 matrix-product rate through TorchSharp, on the energy net's
    /// shape: 64,512 rows × 128 by 128 × 128 (one POWER step's rows).
    /// </summary>
    private static BenchmarkResult MatrixProduct(int threads, int repetitions, Device device)
    {
        const long rows = 64_512, width = 128;
        using var a = randn(rows, width, device: device);
        using var b = randn(width, width, device: device);
        double flops = 2.0 * rows * width * width;
        var times = Time(repetitions * 5, () =>
        {
            using var c = a.matmul(b);
            Synchronize(device);
        });
        var rates = times.Select(t => flops / t / 1e9).ToArray();
        return Summarise("matmul", threads, "GFLOP/s", rates, null);
    }

    private static BenchmarkResult TrainingStep(string name, Preset preset, int threads, int repetitions, Device device, long? microBatchRows) =>
        TrainingStep(name, preset.Model(), preset.Training(steps: repetitions + 1, warmupSteps: 0), preset.Objective(), threads, repetitions, device, microBatchRows);

    private static BenchmarkResult TrainingStep(
        string name, AemOptions options, TrainerOptions training, AemObjectiveOptions objective, int threads, int repetitions, Device device, long? microBatchRows)
    {
        using var model = new AutoregressiveEnergyMachine(options);
        model.to(device);
        // In [0, 1): inside the uniform proposal's box too (the demo's checkerboard model).
        using var data = rand(training.BatchSize * 4, options.Features, device: device);
        var trainerOptions = training with
        {
            WarmupSteps = 0,
            ValidateEvery = 0,
            CheckpointEvery = 0,
            ReportEvery = 1,
        };
        var objectiveOptions = objective with { MicroBatchRows = microBatchRows ?? objective.MicroBatchRows };
        // The trainer owns the objective and disposes it with itself (Trainer.Dispose).
#pragma warning disable CA2000
        using var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(model, objectiveOptions), trainerOptions);
#pragma warning restore CA2000
        var stamps = new List<double>();
        var clock = Stopwatch.StartNew();
        var progress = new SynchronousProgress<TrainingProgress<AemStep, ValidationScore>>(_ =>
        {
            Synchronize(device);
            stamps.Add(clock.Elapsed.TotalSeconds);
        });
        trainer.Run(data, validation: null, progress);
        // The first step is a warm-up (allocator, thread pool); time the ones after it.
        var times = stamps.Zip(stamps.Skip(1), (a, b) => b - a).ToArray();
        return Summarise(name, threads, "s/step", times, FlopCount.TrainingStep(options, training.BatchSize, objectiveOptions.TrainingSamples));
    }

    private static BenchmarkResult Evaluation(int threads, int repetitions, Device device)
    {
        var preset = Preset.Get("power");
        using var model = new AutoregressiveEnergyMachine(preset.Model());
        model.to(device);
        using var generator = new Generator(1, device);
        const int points = 4;
        using var data = randn(points, preset.Features!.Value, device: device);
        var times = Time(Math.Max(2, repetitions / 5), () =>
        {
            using var output = LogLikelihoodEstimator.Estimate(model, data, 20_000, generator);
        });
        return Summarise("evaluate-power", threads, "points/s", times.Select(t => points / t).ToArray(),
            FlopCount.Forward(preset.Model(), points, 20_000));
    }

    private static BenchmarkResult Sampling(int threads, int repetitions, Device device)
    {
        var preset = Preset.Get("spirals");
        using var model = new AutoregressiveEnergyMachine(preset.Model());
        model.to(device);
        using var generator = new Generator(1, device);
        const int count = 1024;
        var times = Time(Math.Max(3, repetitions / 2), () =>
        {
            using var samples = ImportanceResampler.Sample(model, count, ImportanceResampler.DefaultProposalSamples, generator);
        });
        return Summarise("sample-2d", threads, "samples/s", times.Select(t => count / t).ToArray(), null);
    }

    private static double[] Time(int repetitions, Action action)
    {
        action();
        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        return times;
    }

    private static BenchmarkResult Summarise(string name, int threads, string unit, double[] values, double? flops)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
        return new BenchmarkResult(name, threads, unit, median, sorted[0], sorted[^1], sorted.Length, flops, PeakMemory.PeakBytes());
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
