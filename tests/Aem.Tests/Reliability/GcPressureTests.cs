using Aem.Evaluation;
using Aem.Sampling;
using Aem.Tests.Training;
using Aem.Training;
using Aem.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Reliability;

/// <summary>
/// The library's torch paths while another thread forces garbage collections. A TorchSharp Scalar (or
/// any native wrapper) that is only a temporary can be finalized while libtorch still reads it; then the
/// call fails in c10/core/Scalar.h or silently computes with freed memory. Each path must run without an
/// exception and give exactly the bytes of the same call without the collections.
/// </summary>
// Training seeds and draws libtorch's global generator (dropout), and the collector would slow any
// test class running beside it.
[Collection(nameof(Aem.Tests.Checkpoints.GlobalRandomState))]
public sealed class GcPressureTests
{
    private const int StressedRuns = 2;

    [Fact]
    public void LogLikelihoodEstimate_WithTwoWorkers() => AssertUnmoved(() =>
    {
        var model = TestModels.Aem(TestModels.Small(3), seed: 11);
        var data = Data(seed: 12, rows: 96, features: 3, float64);
        return () =>
        {
            using (model)
            using (data)
            using (var generator = new Generator(13, CPU))
            using (var output = LogLikelihoodEstimator.Estimate(model, data, samples: 1600, generator, maxRows: 4096, workers: 2))
            {
                return [Bytes(output.LogDensity), Bytes(output.LogProposal), Bytes(output.LogNormalizer)];
            }
        };
    });

    [Fact]
    public void AemKdeScore() => AssertUnmoved(() =>
    {
        var model = TestModels.Aem(TestModels.Small(2), seed: 21);
        var data = Data(seed: 22, rows: 36, features: 2, float64);
        return () =>
        {
            using (model)
            using (data)
            using (var generator = new Generator(23, CPU))
            using (var scores = AemKde.Score(model, data, samples: 900, [0.1, 0.5], [0.1, 0.5], generator))
            {
                return [Bytes(scores.LogDensity), Bytes(scores.LogProposal), Bytes(scores.LogKde)];
            }
        };
    });

    [Fact]
    public void AemTraining_WithDropout_PastTheWarmUp() => AssertUnmoved(() =>
    {
        // float32: the dropout masks take the library's own fast path, as in real training.
        var model = TestModels.Aem(TestModels.Small(3, dropout: 0.2), seed: 31, dtype: ScalarType.Float32);
        var train = Data(seed: 32, rows: 1920, features: 3, float32);
        var options = new TrainerOptions { BatchSize = 640, Steps = 16, WarmupSteps = 2, LearningRate = 1e-3, ValidateEvery = 0, Seed = 33 };
        return () =>
        {
            using (model)
            using (train)
            using (var trainer = TestTrainers.Aem(model, options, new AemObjectiveOptions { TrainingSamples = 10 }))
            {
                Assert.Equal(StopReason.Completed, trainer.Run(train).Reason);
                return Parameters(model);
            }
        };
    });

    [Fact]
    public void ImportanceResampling() => AssertUnmoved(() =>
    {
        var model = TestModels.Aem(TestModels.Small(3), seed: 41);
        return () =>
        {
            using (model)
            using (var generator = new Generator(42, CPU))
            using (var samples = ImportanceResampler.Sample(model, 400, proposalSamples: 100, generator, batchSize: 8))
            {
                return [Bytes(samples)];
            }
        };
    });

    [Fact]
    public void VaeTraining() => AssertUnmoved(() =>
    {
        // float64: float32 VAE training is not reproducible at present (a separate bug), float64 is.
        random.manual_seed(51);
        var vae = new ConvVae(new VaeOptions { Latents = 4, Channels = 4, Downsamplings = 2, ImageSize = 8 });
        vae.to(float64);
        var grey = Uniform(seed: 52, [128, 1, 8, 8]);
        var options = new TrainerOptions { BatchSize = 64, Steps = 9, LearningRate = 1e-3, ValidateEvery = 0, Seed = 53 };
        return () =>
        {
            using (vae)
            using (grey)
            using (var trainer = new Trainer<VaeStep, VaeValidationScore>(new VaeObjective(vae), options))
            {
                Assert.Equal(StopReason.Completed, trainer.Run(grey).Reason);
                return Parameters(vae);
            }
        };
    });

    /// <summary>
    /// Runs the call that <paramref name="prepare"/> sets up (calmly, each time afresh) once calmly, then
    /// <see cref="StressedRuns"/> times under forced collections; all must agree byte for byte.
    /// </summary>
    private static void AssertUnmoved(Func<Func<byte[][]>> prepare)
    {
        var calm = prepare()();
        for (int i = 0; i < StressedRuns; i++)
        {
            var run = prepare();
            byte[][] stressed;
            int collections;
            using (var collector = new Collector())
            {
                stressed = run();
                collections = collector.Stop();
            }
            Assert.True(collections > 0, "The collector thread never ran.");
            Assert.Equal(calm.Length, stressed.Length);
            for (int k = 0; k < calm.Length; k++) Assert.True(calm[k].AsSpan().SequenceEqual(stressed[k]), $"Result {k} moved under GC pressure (stressed run {i + 1}).");
        }
    }

    private static Tensor Data(ulong seed, long rows, long features, ScalarType dtype)
    {
        using var generator = new Generator(seed, CPU);
        return randn([rows, features], dtype: dtype, generator: generator);
    }

    private static Tensor Uniform(ulong seed, long[] shape)
    {
        using var generator = new Generator(seed, CPU);
        return rand(shape, generator: generator);
    }

    private static byte[] Bytes(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().contiguous().bytes.ToArray();
    }

    private static byte[][] Parameters(nn.Module module) => module.parameters().Select(Bytes).ToArray();

    /// <summary>A thread that forces full collections and finalizers back to back until stopped.</summary>
    private sealed class Collector : IDisposable
    {
        private readonly Thread thread;
        private volatile bool stop;
        private int collections;

        public Collector()
        {
            thread = new Thread(() =>
            {
                while (!stop)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    collections++;
                }
            }) { IsBackground = true, Name = "forced GC" };
            thread.Start();
        }

        public int Stop()
        {
            stop = true;
            thread.Join();
            return collections;
        }

        public void Dispose()
        {
            if (!stop) Stop();
        }
    }
}
