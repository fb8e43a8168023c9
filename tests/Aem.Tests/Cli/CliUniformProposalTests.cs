namespace Aem.Tests.Cli;

/// <summary>A uniform proposal: no warm-up to run, and data outside its box handled by one rule.</summary>
[Collection(CliTestGroup.Name)]
public sealed class CliUniformProposalTests : IDisposable
{
    private readonly CliHarness cli = new();

    [Fact]
    public void Train_UniformProposalWithAWarmup_IsRefused_AndWritesNothing()
    {
        string output = cli.PathOf("run");
        var outcome = cli.Run(["train", "--dataset", "spirals", "--proposal", "uniform", "--warmup", "10", "--steps", "30", "--out", output, .. CliHarness.Tiny]);
        Assert.True(outcome.Code == 2, outcome.ToString());
        Assert.Contains("--warmup", outcome.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Train_UniformProposalWithAPresetThatWarmsUp_TrainsWithoutOne()
    {
        // The spirals preset warms up for a share of its steps; 100 steps made that share 1 and crashed.
        var outcome = cli.Run(["train", "--dataset", "spirals", "--proposal", "uniform", "--steps", "100", "--out", cli.PathOf("run"), .. CliHarness.Tiny]);
        Assert.True(outcome.Code == 0, outcome.ToString());
        Assert.Contains("warm-up 0 steps", outcome.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_DataOutsideTheUniformBox_IsRefusedNamingTheColumn()
    {
        string file = cli.PathOf("wide.csv");
        File.WriteAllLines(file, ["a,b", .. Enumerable.Range(0, 200).Select(i => $"{(i % 17) / 5.0 - 1.5},{(i % 10 == 7 ? 6.5 : (i % 13) / 4.0 - 1.5)}")]);
        string output = cli.PathOf("run");
        var outcome = cli.Run(["train", "--data", file, "--proposal", "uniform", "--no-standardize", "--steps", "5", "--out", output, .. CliHarness.TinyModel]);
        Assert.True(outcome.Code == 2, outcome.ToString());
        Assert.Contains("column 2", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("('b')", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("outside the uniform proposal's support", outcome.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void EvaluateAndScore_PointsOutsideTheBox_AreMinusInfinity_AndCounted()
    {
        Assert.Equal(0, cli.TrainTiny("run", 3).Code);
        string file = cli.PathOf("points.csv");
        File.WriteAllLines(file, ["x1,x2", "0.5,0.5", "4.5,0", "-1,-3", "1,-5", "2,2"]);
        var evaluated = cli.Run("evaluate", "--checkpoint", cli.PathOf("run"), "--test-data", file, "--samples", "20", "--threads", "1", "--out", cli.PathOf("eval"));
        Assert.True(evaluated.Code == 0, evaluated.ToString());
        Assert.Contains("2 of the 5 points lie outside the uniform proposal's support", evaluated.Out, StringComparison.Ordinal);
        string scores = cli.PathOf("scores.csv");
        var scored = cli.Run("score", "--checkpoint", cli.PathOf("run"), "--data", file, "--output", scores, "--samples", "20", "--threads", "1");
        Assert.True(scored.Code == 0, scored.ToString());
        Assert.Contains("2 of the 5 rows lie outside", scored.Error, StringComparison.Ordinal);
        var rows = File.ReadAllLines(scores).Skip(1).Select(line => line.Split(',')).ToArray();
        Assert.Equal(["-Infinity", "-Infinity"], new[] { rows[1][1], rows[3][1] });
        Assert.DoesNotContain("Infinity", rows[0][1], StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", rows[4][1], StringComparison.Ordinal);
    }

    public void Dispose() => cli.Dispose();
}
