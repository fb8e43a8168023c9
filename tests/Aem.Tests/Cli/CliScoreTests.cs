using System.Globalization;
using System.Text.Json;

namespace Aem.Tests.Cli;

/// <summary><c>aem score</c>: per-row scores that agree with <c>aem evaluate</c> and the .NET API.</summary>
[Collection(CliTestGroup.Name)]
public sealed class CliScoreTests : IDisposable
{
    private readonly CliHarness cli = new();

    private string Table(string name, int rows, int seed, string? extraRow = null)
    {
        var random = new Random(seed);
        var lines = new List<string> { "height,weight" };
        for (int i = 0; i < rows; i++)
        {
            double h = 170 + (10 * (random.NextDouble() - 0.5)), w = 70 + (0.5 * (h - 170)) + (5 * (random.NextDouble() - 0.5));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{h:F3},{w:F3}"));
        }
        if (extraRow is not null) lines.Insert(1 + (rows / 2), extraRow);
        string path = cli.PathOf(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Train()
    {
        string data = Table("train.csv", 600, seed: 1);
        var train = cli.Run(["train", "--data", data, "--out", cli.PathOf("run"), "--steps", "40", .. CliHarness.TinyModel]);
        Assert.True(train.Code == 0, train.ToString());
        return cli.PathOf("run");
    }

    private static double[] Column(string csv, int column) =>
        File.ReadLines(csv).Skip(1).Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Score_WritesEveryRowInOrder_AndAgreesWithEvaluateAndTheApi()
    {
        string run = Train();
        string rows = Table("rows.csv", 300, seed: 2);
        string output = cli.PathOf("scores.csv");
        var score = cli.Run("score", "--checkpoint", run, "--data", rows, "--output", output, "--samples", "30", "--seed", "4", "--threads", "1");
        Assert.True(score.Code == 0, score.ToString());
        Assert.Equal("row,log_likelihood,log_proposal,min_ess,bounded_log_likelihood,gaussian_log_likelihood", File.ReadLines(output).First());
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (double)i), Column(output, 0));
        var logLikelihood = Column(output, 1);

        // aem evaluate on exactly these rows (as the test file), same S and seed: the same mean.
        var evaluate = cli.Run("evaluate", "--checkpoint", run, "--data", rows, "--validation-data", rows, "--test-data", rows,
            "--samples", "30", "--seed", "4", "--threads", "1", "--out", cli.PathOf("eval"));
        Assert.True(evaluate.Code == 0, evaluate.ToString());
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf("eval"), "evaluation.json"))))
        {
            var aem = json.RootElement.GetProperty("Scores").GetProperty("Aem");
            Assert.Equal(300, aem.GetProperty("Count").GetInt64());
            Assert.Equal(Aem.Evaluation.MeanWithError.Of(logLikelihood).Mean, aem.GetProperty("Mean").GetDouble());
        }

        // The .NET API, from an array of the same rows: the same numbers, row by row.
        var table = Aem.Data.CsvFile.Read(rows);
        var array = new double[table.Rows, 2];
        Buffer.BlockCopy(table.Values, 0, array, 0, table.Values.Length * sizeof(double));
        using var model = AemModel.Load(run);
        Assert.Equal(logLikelihood, model.Score(array, samples: 30, seed: 4).LogLikelihood);
    }

    [Fact]
    public void Top_PrintsTheInjectedOutlierFirst()
    {
        string run = Train();
        string rows = Table("with-outlier.csv", 200, seed: 3, extraRow: "171.000,140.000");
        var score = cli.Run("score", "--checkpoint", run, "--data", rows, "--output", cli.PathOf("s.npy"), "--samples", "30", "--top", "3", "--threads", "1");
        Assert.True(score.Code == 0, score.ToString());
        var listed = score.Out.Split('\n').SkipWhile(l => !l.Contains("least likely", StringComparison.Ordinal)).Skip(2).First();
        Assert.Contains("171, 140", listed, StringComparison.Ordinal);
        Assert.StartsWith("101", listed.Trim(), StringComparison.Ordinal);     // inserted as the 101st data row
    }

    [Theory]
    [InlineData("height,weight\n170,70\n171,abc\n", "row 3, column 2: 'abc' is not a number")]
    [InlineData("height,weight\n170,70\n171\n", "row 3, column 2: 1 values, expected 2")]
    [InlineData("a,b,c\n1,2,3\n", "3 columns, but the run")]
    [InlineData("weight,height\n70,170\n", "the header names this column 'weight', but the run learned 'height'")]
    public void BadRows_FailWithOneLineAndExitCode2_AndWriteNothing(string text, string problem)
    {
        string run = Train();
        string rows = cli.PathOf("bad.csv");
        File.WriteAllText(rows, text);
        string output = cli.PathOf("out.csv");
        var score = cli.Run("score", "--checkpoint", run, "--data", rows, "--output", output, "--threads", "1");
        Assert.Equal(2, score.Code);
        Assert.Contains(problem, score.Error, StringComparison.Ordinal);
        Assert.Single(score.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.DoesNotContain(Directory.GetFiles(cli.Root), f => Path.GetFileName(f).StartsWith(".out", StringComparison.Ordinal));
    }

    public void Dispose() => cli.Dispose();
}
