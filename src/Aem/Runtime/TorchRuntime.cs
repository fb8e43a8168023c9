using static TorchSharp.torch;

namespace Aem.Runtime;

/// <summary>Process-wide TorchSharp settings: compute device and thread count.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Sets TorchSharp's intra-op thread count; null uses the machine's logical cores. More threads
    /// than free cores makes libtorch several times slower, so lower it when other work shares the machine.
    /// </summary>
    /// <param name="threads">The thread count (at least 1), or null for <see cref="Environment.ProcessorCount"/>.</param>
    /// <returns>The thread count set.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static int SetThreads(int? threads)
    {
        int n = threads ?? Environment.ProcessorCount;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "The thread count must be at least 1.");
        set_num_threads(n);
        NativeHeap.Tune();
        return n;
    }

    /// <summary>
    /// How many threads a training step may run its micro-batches on at once (each with torch's intra-op
    /// thread count, normally one then): process-wide like the thread count, and like it a matter of speed
    /// only, since a step's numbers do not depend on it. Chosen by measurement in
    /// <c>Training.TrainingParallelism.Choose</c>; 1 until set.
    /// </summary>
    public static int TrainingWorkers { get; private set; } = 1;

    /// <summary>Sets <see cref="TrainingWorkers"/> (at least 1).</summary>
    public static void SetTrainingWorkers(int workers)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "Need at least one training worker.");
        TrainingWorkers = workers;
    }

    /// <summary>
    /// The cores other work is not using: all of them minus those other processes kept busy over the last 150 ms
    /// (or, where that cannot be read, minus the 1-minute load average), at least one. libtorch with
    /// more threads than free cores waits on its own threads: measured here with two threads on a busy
    /// two-core machine, training ran about ten times slower than with one (in one 20-second fit of an
    /// 800-row table while two builds ran, 30 times slower).
    /// </summary>
    public static int FreeCores()
    {
        int cores = Environment.ProcessorCount;
        double? busy = CpuUsage.BusyCores(TimeSpan.FromMilliseconds(150), countThisProcess: false) ?? LoadAverage.OneMinute();
        return busy is { } b ? Math.Clamp(cores - (int)Math.Round(b), 1, cores) : cores;
    }

    /// <summary>
    /// Resolves a device name ("cpu", "cuda", "cuda:1"). Asking for CUDA without a CUDA-enabled
    /// TorchSharp bundle fails with an explanation of how to get one.
    /// </summary>
    /// <param name="name">"cpu" (also for null or blank), "cuda" or "cuda:N", case-insensitive.</param>
    /// <exception cref="DeviceUnavailableException">CUDA is asked for but unavailable, or the name is not a device.</exception>
    public static Device ResolveDevice(string? name)
    {
        string requested = string.IsNullOrWhiteSpace(name) ? "cpu" : name.Trim().ToLowerInvariant();
        if (requested == "cpu") return CPU;
        if (requested.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
            {
                throw new DeviceUnavailableException(
                    $"Device '{name}' was requested but this build has no usable CUDA backend (it references the CPU-only " +
                    "TorchSharp bundle, or no CUDA device/driver is present). Rebuild with a CUDA bundle, e.g. " +
                    "`dotnet build -p:TorchBackend=TorchSharp-cuda-linux`, on a machine with an NVIDIA GPU, or use --device cpu.");
            }
            return new Device(requested);
        }
        throw new DeviceUnavailableException($"Unknown device '{name}'; use cpu or cuda[:index].");
    }
}
