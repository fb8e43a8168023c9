using System.Globalization;
using System.Text.Json;

namespace Aem.Tests.Cli;

/// <summary><c>--shard I/N</c> and <c>aem merge</c>: the merged files are the single-process files; shards of other jobs are refused.</summary>
[Collection(CliTestGroup.Name)]
public sealed class CliShardTests : IDisposable
{
    private readonly CliHarness cli = new();

    private string Table(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string> { "height,weight" };
        for (int i = 0; i < rows; i++)
        {
            double h = 170 + (10 * (random.NextDouble() - 0.5)), w = 70 + (0.5 * (h - 170)) + (5 * (random.NextDouble() - 0.5));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{h:F3},{w:F3}"));
        }
        string path = cli.PathOf(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Train(string name, int seed)
    {
        var train = cli.Run(["train", "--data", Table("train.csv", 600, seed: 1), "--out", cli.PathOf(name), "--steps", "40", "--seed", seed.ToString(CultureInfo.InvariantCulture), .. CliHarness.TinyModel]);
        Assert.True(train.Code == 0, train.ToString());
        return cli.PathOf(name);
    }

    private CliOutcome Score(string run, string rows, string output, string? shard, string samples = "20", string seed = "4")
    {
        string[] args = ["score", "--checkpoint", run, "--data", rows, "--output", output, "--samples", samples, "--seed", seed, "--threads", "1"];
        return cli.Run(shard is null ? args : [.. args, "--shard", shard]);
    }

    private static string Ok(CliOutcome outcome)
    {
        Assert.True(outcome.Code == 0, outcome.ToString());
        return outcome.Out;
    }

    [Fact]
    public void ScoreShards_MergeIntoTheSingleProcessFile_ByteForByte()
    {
        string run = Train("run", seed: 1);
        // 700 rows: chunks of 256, 256 and 188, so the three shards differ in size.
        string rows = Table("rows.csv", 700, seed: 2);
        Ok(Score(run, rows, cli.PathOf("whole.csv"), null));
        string parts = Directory.CreateDirectory(cli.PathOf("parts")).FullName;
        for (int i = 0; i < 3; i++) Ok(Score(run, rows, Path.Combine(parts, "scores.csv"), $"{i}/3"));
        Assert.Equal(3, Directory.GetFiles(parts, "scores.shard-*-of-3.aemshard").Length);
        Assert.False(File.Exists(Path.Combine(parts, "scores.csv")));

        string merged = Ok(cli.Run(["merge", .. Directory.GetFiles(parts).Reverse()]));
        Assert.Contains("merged 3 shards of aem score", merged, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(cli.PathOf("whole.csv")), File.ReadAllBytes(Path.Combine(parts, "scores.csv")));
    }

    [Fact]
    public void EvaluateShards_MergeIntoTheSingleProcessScores()
    {
        string run = Train("run", seed: 1);
        string rows = Table("rows.csv", 600, seed: 2);
        string[] evaluate = ["evaluate", "--checkpoint", run, "--data", rows, "--validation-data", rows, "--test-data", rows, "--samples", "20", "--seed", "4", "--threads", "1", "--max-points", "550"];
        Ok(cli.Run([.. evaluate, "--out", cli.PathOf("whole")]));
        for (int i = 0; i < 2; i++) Ok(cli.Run([.. evaluate, "--out", cli.PathOf("parts"), "--shard", $"{i}/2"]));
        Assert.False(File.Exists(Path.Combine(cli.PathOf("parts"), "evaluation.json")));
        Ok(cli.Run(["merge", .. Directory.GetFiles(cli.PathOf("parts"), "*.aemshard")]));

        static string Scores(string folder)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "evaluation.json")));
            return json.RootElement.GetProperty("Scores").GetRawText();
        }
        Assert.Equal(Scores(cli.PathOf("whole")), Scores(cli.PathOf("parts")));
    }

    [Fact]
    public void Merge_RefusesShardsOfOtherJobs_WithOneLineNamingTheFile_AndWritesNothing()
    {
        string run = Train("run", seed: 1);
        string other = Train("other", seed: 2);
        string rows = Table("rows.csv", 600, seed: 2);
        string changed = Table("changed.csv", 600, seed: 3);
        string output = cli.PathOf("scores.csv");
        string ShardFile(string name, int index, int count, string checkpoint, string data, string samples = "20", string seed = "4")
        {
            string folder = Directory.CreateDirectory(cli.PathOf(name)).FullName;
            Ok(Score(checkpoint, data, Path.Combine(folder, "scores.csv"), $"{index}/{count}", samples, seed));
            return Path.Combine(folder, $"scores.shard-{index}-of-{count}.aemshard");
        }
        string first = ShardFile("a", 0, 2, run, rows);
        string second = ShardFile("a", 1, 2, run, rows);
        var cases = new (string Odd, string Problem)[]
        {
            (ShardFile("checkpoint", 1, 2, other, rows), "another checkpoint"),
            (ShardFile("samples", 1, 2, run, rows, samples: "30"), "Samples = 30"),
            (ShardFile("seed", 1, 2, run, rows, seed: "5"), "Seed = 5"),
            (ShardFile("count", 1, 3, run, rows), "one N"),
            (ShardFile("data", 1, 2, run, changed), "other data"),
        };
        foreach (var (odd, problem) in cases)
        {
            var merge = cli.Run("merge", first, odd, "--output", output);
            Assert.True(merge.Code == 2, $"{problem}: {merge}");
            Assert.Single(merge.Error.Trim().Split('\n'));
            Assert.StartsWith($"aem: error: {odd}: ", merge.Error, StringComparison.Ordinal);
            Assert.Contains(problem, merge.Error, StringComparison.Ordinal);
        }
        var missing = cli.Run("merge", first, "--output", output);
        Assert.Equal(2, missing.Code);
        Assert.Contains($"{second}: missing", missing.Error, StringComparison.Ordinal);
        var twice = cli.Run("merge", first, second, first, "--output", output);
        Assert.Equal(2, twice.Code);
        Assert.Contains("given twice", twice.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.DoesNotContain(Directory.GetFiles(cli.Root), f => Path.GetFileName(f).StartsWith(".scores", StringComparison.Ordinal));

        // The two shards of the job do merge.
        Ok(cli.Run("merge", first, second, "--output", output));
        Assert.Equal(601, File.ReadLines(output).Count());
    }

    [Theory]
    [InlineData("2/2", "0 ≤ I < N")]
    [InlineData("1/0", "0 ≤ I < N")]
    [InlineData("x", "a shard is I/N")]
    public void BadShard_FailsWithOneLine(string shard, string problem)
    {
        var score = cli.Run("score", "--checkpoint", cli.PathOf("nothing"), "--data", cli.PathOf("rows.csv"), "--output", cli.PathOf("s.csv"), "--shard", shard);
        Assert.Equal(2, score.Code);
        Assert.Contains("--shard", score.Error, StringComparison.Ordinal);
        Assert.Contains(problem, score.Error, StringComparison.Ordinal);
        Assert.Single(score.Error.Trim().Split('\n'));
        var top = cli.Run("score", "--checkpoint", cli.PathOf("nothing"), "--data", cli.PathOf("rows.csv"), "--output", cli.PathOf("s.csv"), "--shard", "0/2", "--top", "3");
        Assert.Equal(2, top.Code);
        Assert.Contains("--top", top.Error, StringComparison.Ordinal);
    }

    public void Dispose() => cli.Dispose();
}
