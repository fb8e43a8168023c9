using Aem.Runs;
using Aem.Data;
using Aem.Evaluation;
using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Tests.Checkpoints;

public class CheckpointTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"aem-checkpoint-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void SaveThenLoad_FromTheDirectoryAlone_GivesIdenticalLogDensity(ScalarType dtype)
    {
        var options = TestModels.Small(3) with { Dropout = 0.1 };
        using var model = TestModels.Aem(options, seed: 1, dtype: dtype);
        var standardizer = new Standardizer([1.0, 2.0, 3.0], [0.5, 1.5, 2.5]);
        string directory = Path.Combine(root, "model");
        TestCheckpoints.Save(directory, model, optimizer: null, TestCheckpoints.Record(options) with { Standardizer = standardizer, DataName = "test data" });

        // Only the directory: the architecture, dtype and preprocessing come from the run record.
        var (loaded, manifest) = TestCheckpoints.Load(directory);
        using (loaded)
        {
            Assert.False(loaded.training, "a loaded model should be in eval mode");
            Assert.Equal(options, manifest.Model);
            Assert.Equal(standardizer.Mean, manifest.Standardizer!.Mean);
            Assert.Equal(standardizer.Scale, manifest.Standardizer.Scale);
            Assert.Equal("test data", manifest.DataName);
            Assert.Equal(dtype, loaded.parameters().First().dtype);

            using var x = Data(16, seed: 2).to(dtype);
            using var g1 = new Generator(3, CPU);
            using var g2 = new Generator(3, CPU);
            using var original = LogLikelihoodEstimator.Estimate(model, x, samples: 64, g1);
            using var restored = LogLikelihoodEstimator.Estimate(loaded, x, samples: 64, g2);
            Assert.True(original.LogDensity.Equals(restored.LogDensity), "log p̂ changed through save and load");
            foreach (var (name, parameter) in model.state_dict())
            {
                Assert.True(parameter.Equals(loaded.state_dict()[name]), $"{name} changed through save and load");
            }
        }
    }

    [Fact]
    public void StateDictKeys_ArePinned()
    {
        // Checkpoint compatibility: these names and shapes are the on-disk format.
        var options = TestModels.Small(2) with { ResMadeBlocks = 1, EnergyBlocks = 1 };
        using var model = new AutoregressiveEnergyMachine(options);
        var actual = model.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").Order(StringComparer.Ordinal);
        // H = 16, D = 2, P = K + 3M = 4 + 9 = 13, E = 16.
        string[] expected =
        [
            "energy_net.blocks.0.linear1.bias [16]",
            "energy_net.blocks.0.linear1.weight [16, 16]",
            "energy_net.blocks.0.linear2.bias [16]",
            "energy_net.blocks.0.linear2.weight [16, 16]",
            "energy_net.input.bias [16]",
            "energy_net.input.weight [16, 5]",
            "energy_net.output.bias [1]",
            "energy_net.output.weight [1, 16]",
            "resmade.blocks.0.linear1.bias [16]",
            "resmade.blocks.0.linear1.mask [16, 16]",
            "resmade.blocks.0.linear1.weight [16, 16]",
            "resmade.blocks.0.linear2.bias [16]",
            "resmade.blocks.0.linear2.mask [16, 16]",
            "resmade.blocks.0.linear2.weight [16, 16]",
            "resmade.final.bias [26]",
            "resmade.final.mask [26, 16]",
            "resmade.final.weight [26, 16]",
            "resmade.initial.bias [16]",
            "resmade.initial.mask [16, 2]",
            "resmade.initial.weight [16, 2]",
        ];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Load_WhileAnotherProcessKeepsReplacingTheCheckpoint_AlwaysGetsAConsistentOne()
    {
        // A trainer replaces last/ every few steps while `aem info|evaluate|sample` may be reading it:
        // a read that straddles a replacement must retry, not report a checksum mismatch.
        var options = TestModels.Small(2);
        using var model = TestModels.Aem(options, seed: 3, dtype: ScalarType.Float32);
        string directory = Path.Combine(root, "last");
        var manifest = TestCheckpoints.Record(options);
        TestCheckpoints.Save(directory, model, optimizer: null, manifest);
        using var stop = new CancellationTokenSource();
        int saves = 0;
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                TestCheckpoints.Save(directory, model, optimizer: null, manifest with { DataName = $"save {saves}" });
                Interlocked.Increment(ref saves);
                // A trainer saves every few seconds; back to back, saves could starve a reader's 20 attempts.
                Thread.Sleep(2);
            }
        });
        try
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref saves) > 0, TimeSpan.FromSeconds(30));
            for (int reads = 0; reads < 100 || (Volatile.Read(ref saves) < 30 && reads < 10_000); reads++)
            {
                Assert.Equal(options, SavedRun.Open(directory).File.Model);
                var (loaded, _) = TestCheckpoints.Load(directory);
                loaded.Dispose();
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
        Assert.True(saves >= 30, $"the writer only saved {saves} times; the reads did not overlap enough replacements");
    }

    [Fact]
    public void TamperedWeights_AreRefused_WithAChecksumError()
    {
        string directory = SaveSmallModel("tampered");
        string weights = Path.Combine(directory, RunLayout.ModelFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(weights, bytes);
        var ex = Assert.Throws<CheckpointException>(() => TestCheckpoints.Load(directory));
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
        Assert.Contains(RunLayout.ModelFile, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedWeights_AreRefused_WithAChecksumError()
    {
        string directory = SaveSmallModel("truncated");
        string weights = Path.Combine(directory, RunLayout.ModelFile);
        using (var stream = new FileStream(weights, FileMode.Open)) stream.SetLength(stream.Length - 100);
        var ex = Assert.Throws<CheckpointException>(() => TestCheckpoints.Load(directory));
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryWithoutRunRecord_IsRefusedClearly()
    {
        string directory = Path.Combine(root, "empty");
        Directory.CreateDirectory(directory);
        var ex = Assert.Throws<CheckpointException>(() => TestCheckpoints.Load(directory));
        Assert.Contains("no checkpoint here", ex.Message, StringComparison.Ordinal);
        Assert.Contains(RunLayout.RecordFile, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherFormatVersion_IsRefusedClearly()
    {
        string directory = SaveSmallModel("future");
        string manifest = Path.Combine(directory, RunLayout.RecordFile);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"FormatVersion\": 2", "\"FormatVersion\": 99", StringComparison.Ordinal));
        var ex = Assert.Throws<CheckpointException>(() => TestCheckpoints.Load(directory));
        Assert.Contains("format 99 is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointOfTheEarlierFormat_IsRefusedInOneLineNamingTheFormat()
    {
        // What an earlier aem wrote: manifest.json beside the weights, no run.json.
        string directory = Path.Combine(root, "format-1");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "manifest.json"), "{ \"FormatVersion\": 1 }");
        File.WriteAllBytes(Path.Combine(directory, RunLayout.ModelFile), [1, 2, 3]);
        var ex = Assert.Throws<CheckpointException>(() => SavedRun.Open(directory));
        Assert.Contains("format 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("this version reads format 2", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        // The run folder around it is recognised too, and refused the same way.
        Directory.Move(directory, Path.Combine(root, "best"));
        var inRun = Assert.Throws<CheckpointException>(() => SavedRun.Open(root));
        Assert.Contains("format 1", inRun.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOptimizer_WithoutOptimizerState_IsRefusedClearly()
    {
        string directory = SaveSmallModel("no-optimizer");
        using var model = TestModels.Aem(TestModels.Small(2), seed: 4);
        using var optimizer = optim.Adam(model.parameters());
        var ex = Assert.Throws<CheckpointException>(() => CheckpointStore.LoadOptimizer(directory, optimizer));
        Assert.Contains("no optimiser state", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_ReplacesAtomically_LeavingNoTemporaryDirectories()
    {
        string first = SaveSmallModel("checkpoint", seed: 5);
        string second = SaveSmallModel("checkpoint", seed: 6);
        Assert.Equal(first, second);
        Assert.Equal(["checkpoint"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
        Assert.Equal(
            new[] { RunLayout.RecordFile, RunLayout.ModelFile }.Order(StringComparer.Ordinal),
            Directory.GetFiles(first).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
        // The second save replaced the first.
        var (loaded, _) = TestCheckpoints.Load(first);
        using (loaded)
        using (var expected = TestModels.Aem(TestModels.Small(2), seed: 6))
        {
            Assert.True(expected.state_dict()["resmade.final.bias"].Equals(loaded.state_dict()["resmade.final.bias"]));
        }
    }

    private string SaveSmallModel(string name, ulong seed = 7)
    {
        var options = TestModels.Small(2);
        using var model = TestModels.Aem(options, seed);
        string directory = Path.Combine(root, name);
        TestCheckpoints.Save(directory, model, optimizer: null, TestCheckpoints.Record(options));
        return directory;
    }

    private static Tensor Data(int rows, ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        return randn([rows, 3], dtype: float64, generator: generator);
    }
}
