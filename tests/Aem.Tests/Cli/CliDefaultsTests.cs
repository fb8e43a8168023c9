using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aem.Tests.Cli;

/// <summary><c>aem train --data FILE</c> with nothing else: settings scaled to the table, early stopping, the Gaussian baseline.</summary>
[Collection(CliTestGroup.Name)]
public sealed class CliDefaultsTests : IDisposable
{
    private readonly CliHarness cli = new();

    private string Table(int rows)
    {
        var random = new Random(4);
        var lines = new List<string> { "x,y" };
        for (int i = 0; i < rows; i++)
        {
            double x = random.NextDouble();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:F4},{(x * x) + (0.1 * random.NextDouble()):F4}"));
        }
        string path = cli.PathOf("table.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void ATinyTable_TrainsWithScaledSettings_WhereThePapersPresetCouldNotEvenFitABatch()
    {
        // 180 rows: 145 training rows, fewer than the paper's batch of 512.
        var outcome = cli.Run("train", "--data", Table(180), "--out", cli.PathOf("run"), "--steps", "30", "--threads", "1");
        Assert.True(outcome.Code == 0, outcome.ToString());
        Assert.Contains("settings table", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("full-covariance Gaussian", outcome.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf("run"), "last", "run.json")));
        Assert.True(json.RootElement.GetProperty("Training").GetProperty("BatchSize").GetInt32() <= 145);
        Assert.Equal(2, json.RootElement.GetProperty("Baseline").GetProperty("Mean").GetArrayLength());
    }

    [Fact]
    public void EarlyStopping_IsOnByDefault_StopsAtThePatience_AndKeepsTheBestCheckpoint()
    {
        // A learning rate too small to move any float32 weight: every validation scores the same, so the
        // first one stays the best and training stops after the patience, a quarter of the 20 validations.
        var outcome = cli.Run("train", "--data", Table(600), "--out", cli.PathOf("run"), "--steps", "400", "--validate-every", "20",
            "--lr", "1e-12", "--threads", "1", "--val-samples", "10");
        Assert.True(outcome.Code == 0, outcome.ToString());
        Assert.Contains("early stopping after 5 without improvement", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("training stopped early at step 120", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("after its best at step 20", outcome.Out, StringComparison.Ordinal);
        using var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf("run"), "best", "run.json")));
        Assert.Equal(20, best.RootElement.GetProperty("State").GetProperty("Step").GetInt32());
    }

    [Fact]
    public void ATimeBudget_PlansAtMostAThousandEpochs_OnASmallTable()
    {
        // 180 rows: 145 training rows in batches of 16. Ten minutes would fit hundreds of thousands of steps;
        // the plan stops at 1,000 epochs (9,062 steps) and the budget is only a limit. Early stopping after one
        // validation without improvement (a learning rate that moves no weight) keeps the test short.
        var outcome = cli.Run("train", "--data", Table(180), "--out", cli.PathOf("run"), "--time", "10m",
            "--lr", "1e-12", "--threads", "1", "--val-samples", "10", "--validate-every", "50", "--patience", "1");
        Assert.True(outcome.Code == 0, outcome.ToString());
        Assert.Contains("training stopped early at step 100", outcome.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf("run"), "last", "run.json")));
        var training = json.RootElement.GetProperty("Training");
        int steps = training.GetProperty("Steps").GetInt32(), batch = training.GetProperty("BatchSize").GetInt32();
        long trainRows = long.Parse(Regex.Match(outcome.Out, @"training on [^:]+: ([\d,]+) points").Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.Equal(Aem.Presets.TableDefaults.MostSteps(trainRows, batch), steps);
        Assert.InRange(steps * (long)batch / trainRows, 999, 1000);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"training 1,000 epochs ({steps:N0} steps)"), outcome.Out, StringComparison.Ordinal);
    }

    public void Dispose() => cli.Dispose();
}
