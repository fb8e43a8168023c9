using System.Diagnostics;
using System.Globalization;
using Aem.Benchmarking;
using Aem.Evaluation;
using Aem.Model;
using Aem.Presets;
using Aem.Training;
using static TorchSharp.torch;

// Long-running soak measurements that do not belong in the test suite:
//   soak-train PRESET STEPS THREADS [MICRO_ROWS]   resident memory while training (every 5 % of the steps)
//   soak-eval POINTS SAMPLES THREADS               resident memory while evaluating with large S (POWER preset)
//   power-like ROWS SEED FILE                      a synthetic 6-column table shaped like POWER, as CSV (docs/normalizers.md)
var culture = CultureInfo.InvariantCulture;
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: soak-train PRESET STEPS THREADS [MICRO_ROWS] | soak-eval POINTS SAMPLES THREADS | power-like ROWS SEED FILE");
    return 2;
}
switch (args[0])
{
    case "soak-train":
    {
        var preset = Preset.Get(args[1]);
        int steps = int.Parse(args[2], culture);
        set_num_threads(int.Parse(args[3], culture));
        long? micro = args.Length > 4 ? long.Parse(args[4], culture) : null;
        var options = preset.Model();
        using var model = new AutoregressiveEnergyMachine(options);
        random.manual_seed(1);
        using var data = randn(20_000, options.Features);
        var trainerOptions = preset.Training(steps, warmupSteps: 0) with
        {
            ValidateEvery = 0,
            CheckpointEvery = 0,
            ReportEvery = Math.Max(1, steps / 20),
        };
        var objective = preset.Objective() with { MicroBatchRows = micro ?? new AemObjectiveOptions().MicroBatchRows };
        using var trainer = new Trainer<AemStep, ValidationScore>(new AemObjective(model, objective), trainerOptions);
        var clock = Stopwatch.StartNew();
        Console.WriteLine("step\tseconds\trss_mb\tpeak_mb\tloss");
        trainer.Run(data, null, new SynchronousProgress<TrainingProgress<AemStep, ValidationScore>>(p =>
            Console.WriteLine(string.Create(culture,
                $"{p.Step}\t{clock.Elapsed.TotalSeconds:F1}\t{PeakMemory.CurrentBytes() / 1e6:F0}\t{PeakMemory.PeakBytes() / 1e6:F0}\t{p.Train?.Loss:F4}"))));
        return 0;
    }
    case "soak-eval":
    {
        int points = int.Parse(args[1], culture);
        int samples = int.Parse(args[2], culture);
        set_num_threads(int.Parse(args[3], culture));
        var options = Preset.Get("power").Model();
        using var model = new AutoregressiveEnergyMachine(options);
        using var generator = new Generator(1, CPU);
        var clock = Stopwatch.StartNew();
        Console.WriteLine("points\tseconds\trss_mb\tpeak_mb");
        int chunk = Math.Max(1, points / 20);
        for (int done = 0; done < points; done += chunk)
        {
            using var scope = NewDisposeScope();
            using var x = randn(Math.Min(chunk, points - done), options.Features);
            using var output = LogLikelihoodEstimator.Estimate(model, x, samples, generator);
            Console.WriteLine(string.Create(culture,
                $"{done + x.shape[0]}\t{clock.Elapsed.TotalSeconds:F1}\t{PeakMemory.CurrentBytes() / 1e6:F0}\t{PeakMemory.PeakBytes() / 1e6:F0}"));
        }
        return 0;
    }
    case "power-like":
    {
        PowerLikeTable.Write(int.Parse(args[1], culture), int.Parse(args[2], culture), args[3]);
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, so timings are taken where the step ends.</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
