using System.Text.Json;
using Aem.Data;
using SkiaSharp;

namespace Aem.Tests.Cli;

[Collection(CliTestGroup.Name)]
public sealed class CliEndToEndTests : IDisposable
{
    private readonly CliHarness cli = new();

    [Fact]
    public void TrainEvaluateSamplePlotInfo_WorkTogetherOnATinyBudget()
    {
        var train = cli.TrainTiny("run", 30, "--validate-every", "10");
        Assert.True(train.Code == 0, train.ToString());
        string run = cli.PathOf("run");
        foreach (var file in new[] { "last/run.json", "last/optimizer.bin", "best/run.json" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"missing {file}\n{train}");
        }
        Assert.Contains("training completed at step 30", train.Out, StringComparison.Ordinal);

        var evaluate = cli.Run("evaluate", "--checkpoint", run, "--samples", "50", "--max-points", "200", "--threads", "1");
        Assert.True(evaluate.Code == 0, evaluate.ToString());
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json"))))
        {
            var root = json.RootElement.GetProperty("Scores");
            Assert.Equal(200, root.GetProperty("Points").GetInt64());
            Assert.Equal(50, root.GetProperty("Samples").GetInt32());
            Assert.True(double.IsFinite(root.GetProperty("Aem").GetProperty("Mean").GetDouble()));
            // Checkerboard's proposal is U(−4, 4)²: log q = −log 64 at every test point, so its SE is 0.
            Assert.Equal(-Math.Log(64), root.GetProperty("Proposal").GetProperty("Mean").GetDouble(), 5);
            Assert.Equal(-Math.Log(32), json.RootElement.GetProperty("Truth").GetDouble(), 10);
        }
        Assert.Contains("| AEM (S = 50) |", File.ReadAllText(Path.Combine(run, "evaluation.md")), StringComparison.Ordinal);

        string csv = cli.PathOf("samples.csv");
        var sample = cli.Run("sample", "--checkpoint", run, "-n", "100", "--output", csv, "--threads", "1");
        Assert.True(sample.Code == 0, sample.ToString());
        var lines = File.ReadAllLines(csv);
        Assert.Equal("x1,x2", lines[0]);
        Assert.Equal(101, lines.Length);
        foreach (var line in lines.Skip(1))
        {
            // Samples resample the uniform proposal's values, so they lie in its box.
            var values = line.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(2, values.Length);
            Assert.All(values, v => Assert.InRange(v, -4, 4));
        }

        string npy = cli.PathOf("samples.npy");
        Assert.Equal(0, cli.Run("sample", "--checkpoint", run, "-n", "64", "--output", npy, "--from", "proposal", "--threads", "1").Code);
        var table = NpyFile.Read(npy);
        Assert.Equal(64, table.Rows);
        Assert.Equal(2, table.Columns);

        string figures = cli.PathOf("figures");
        var plot = cli.Run("plot", "--checkpoint", run, "--out", figures, "--points", "2000", "--grid", "40", "--samples", "50", "--slices", "2", "--threads", "1");
        Assert.True(plot.Code == 0, plot.ToString());
        foreach (var name in new[] { "figure4a.png", "conditionals.png", "training-curves.png" })
        {
            AssertIsAPicture(Path.Combine(figures, name));
        }
        Assert.DoesNotContain(Directory.GetFiles(figures), f => Path.GetFileName(f).StartsWith('.'));

        var info = cli.Run("info", "--checkpoint", run);
        Assert.True(info.Code == 0, info.ToString());
        Assert.Contains("step 30", info.Out, StringComparison.Ordinal);
        var infoJson = cli.Run("info", "--checkpoint", run, "--json");
        using (var json = JsonDocument.Parse(infoJson.Out))
        {
            Assert.Equal(30, json.RootElement.GetProperty("Checkpoints").GetProperty("last").GetProperty("State").GetProperty("Step").GetInt32());
        }
    }

    [Fact]
    public void Interrupted_ThenResumed_EndsWithTheSameWeightsAsAnUninterruptedRun()
    {
        Assert.Equal(0, cli.TrainTiny("whole", 20, "--validate-every", "5").Code);

        using var stop = new Aem.Cli.Terminal.GracefulStop();
        var writer = new StopWhenWritten(stop, "step 10/20");
        var interrupted = CliHarness.Run(stop, writer, ["train", "--dataset", "checkerboard", "--out", cli.PathOf("parts"), "--steps", "20", .. CliHarness.Tiny, "--validate-every", "5"]);
        Assert.True(interrupted.Code == 0, interrupted.ToString());
        Assert.Contains("interrupted at step 10", interrupted.Out, StringComparison.Ordinal);
        Assert.Equal(10, LastStep("parts"));

        var resumed = cli.Run("train", "--resume", cli.PathOf("parts"), "--threads", "1");
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains("resuming", resumed.Out, StringComparison.Ordinal);
        Assert.Equal(20, LastStep("parts"));
        Assert.Equal(WeightsHash("whole"), WeightsHash("parts"));
    }

    [Fact]
    public void Resume_WithMoreSteps_ContinuesFromTheCheckpointStep()
    {
        Assert.Equal(0, cli.TrainTiny("short", 10).Code);
        var more = cli.Run("train", "--resume", cli.PathOf("short"), "--steps", "15", "--threads", "1");
        Assert.True(more.Code == 0, more.ToString());
        Assert.Contains("resuming", more.Out, StringComparison.Ordinal);
        Assert.Contains("at step 10 of 15", more.Out, StringComparison.Ordinal);
        Assert.Equal(15, LastStep("short"));
        var done = cli.Run("train", "--resume", cli.PathOf("short"), "--threads", "1");
        Assert.Equal(2, done.Code);
        Assert.Contains("already done 15 of 15 steps", done.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_WithATimeBudgetOnly_FitsTheStepCountAndReplansIt()
    {
        var outcome = cli.Run(["train", "--dataset", "checkerboard", "--out", cli.PathOf("timed"), "--time", "3s", .. CliHarness.Tiny]);
        Assert.True(outcome.Code == 0, outcome.ToString());
        Assert.Contains("timing a few steps", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("re-planned from this run's speed", outcome.Out, StringComparison.Ordinal);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf("timed"), "last", "run.json")));
        int planned = config.RootElement.GetProperty("Training").GetProperty("Steps").GetInt32();
        int done = LastStep("timed");
        Assert.InRange(done, 1, planned);
    }

    private int LastStep(string run)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf(run), "last", "run.json")));
        return json.RootElement.GetProperty("State").GetProperty("Step").GetInt32();
    }

    private string WeightsHash(string run)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf(run), "last", "run.json")));
        return json.RootElement.GetProperty("Files").GetProperty("model.bin").GetString()!;
    }

    private static void AssertIsAPicture(string path)
    {
        Assert.True(File.Exists(path), $"missing {path}");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8).ToArray());
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= 400 && bitmap.Height >= 200, $"{path}: {bitmap.Width}×{bitmap.Height}");
        // Not blank: axes, text and data give many distinct colours.
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3) colours.Add((uint)bitmap.GetPixel(x, y));
        }
        Assert.True(colours.Count > 20, $"{path}: only {colours.Count} colours");
    }

    public void Dispose() => cli.Dispose();
}
