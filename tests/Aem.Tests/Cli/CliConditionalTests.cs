using System.Globalization;
using System.Text.Json;
using Aem.Data;

namespace Aem.Tests.Cli;

/// <summary>
/// Conditional densities through the CLI (issue 16): the context named as columns of the data file or given as
/// a second file, standardised with its statistics in the run file; score and sample with contexts; and the
/// bad-input cases, each one line and exit code 2 with nothing written.
/// </summary>
[Collection(CliTestGroup.Name)]
public sealed class CliConditionalTests : IDisposable
{
    private readonly CliHarness cli = new();

    /// <summary>conditional-sine rows written context first, <c>c,x1,x2</c>, so the context column is not the last.</summary>
    private string Table(string name, int rows, int seed)
    {
        var values = ConditionalSine.Generate(rows, seed);
        string path = cli.PathOf(name);
        File.WriteAllLines(path, ["c,x1,x2", .. Enumerable.Range(0, rows).Select(i => string.Create(CultureInfo.InvariantCulture, $"{values[i, 2]:R},{values[i, 0]:R},{values[i, 1]:R}"))]);
        return path;
    }

    /// <summary>The same rows split in two files: x alone, and the context alone.</summary>
    private (string X, string Context) Split(string table)
    {
        var lines = File.ReadAllLines(table).Select(l => l.Split(',')).ToArray();
        string x = cli.PathOf(Path.GetFileNameWithoutExtension(table) + "-x.csv");
        string c = cli.PathOf(Path.GetFileNameWithoutExtension(table) + "-c.csv");
        File.WriteAllLines(x, lines.Select(p => $"{p[1]},{p[2]}"));
        File.WriteAllLines(c, lines.Select(p => p[0]));
        return (x, c);
    }

    private string Train(params string[] context)
    {
        string data = Table("data.csv", 1_500, seed: 1);
        var train = cli.Run(["train", "--data", data, .. context, "--out", cli.PathOf("run"), "--steps", "20", .. CliHarness.TinyModel]);
        Assert.True(train.Code == 0, train.ToString());
        return cli.PathOf("run");
    }

    private static double[] Column(string csv, int column) =>
        File.ReadLines(csv).Skip(1).Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void ContextByName_IsStandardisedInTheRunFile_AndScoresEqualThoseWithAContextFile()
    {
        string run = Train("--context-columns", "c");
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "best", "run.json"))))
        {
            var root = json.RootElement;
            Assert.Equal(1, root.GetProperty("Model").GetProperty("ConditioningFeatures").GetInt32());
            Assert.Equal(["x1", "x2"], root.GetProperty("ColumnNames").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["c"], root.GetProperty("ContextColumnNames").EnumerateArray().Select(e => e.GetString()));
            // c ~ U(−2, 2): the training split's standard deviation is near 4/√12.
            double scale = root.GetProperty("ContextStandardizer").GetProperty("Scale")[0].GetDouble();
            Assert.InRange(scale, 1.0, 1.3);
        }

        // Scoring reads the context from the columns the run learned it from, or from a context file beside x.
        string rows = Table("rows.csv", 200, seed: 2);
        var (x, c) = Split(rows);
        var byColumns = cli.Run("score", "--checkpoint", run, "--data", rows, "--output", cli.PathOf("a.csv"), "--samples", "20", "--seed", "4", "--threads", "1");
        Assert.True(byColumns.Code == 0, byColumns.ToString());
        var byFile = cli.Run("score", "--checkpoint", run, "--data", x, "--context-file", c, "--output", cli.PathOf("b.csv"), "--samples", "20", "--seed", "4", "--threads", "1");
        Assert.True(byFile.Code == 0, byFile.ToString());
        var a = Column(cli.PathOf("a.csv"), 1);
        Assert.Equal(200, a.Length);
        Assert.Equal(a, Column(cli.PathOf("b.csv"), 1));
        Assert.All(a, v => Assert.True(double.IsFinite(v)));

        // The context matters: the same x at other contexts scores differently.
        string shuffled = cli.PathOf("shuffled-c.csv");
        var contextLines = File.ReadAllLines(c);
        File.WriteAllLines(shuffled, [contextLines[0], .. contextLines.Skip(1).Reverse()]);
        var other = cli.Run("score", "--checkpoint", run, "--data", x, "--context-file", shuffled, "--output", cli.PathOf("s.csv"), "--samples", "20", "--seed", "4", "--threads", "1");
        Assert.True(other.Code == 0, other.ToString());
        Assert.NotEqual(a, Column(cli.PathOf("s.csv"), 1));
    }

    [Fact]
    public void Sample_AtGivenContexts_WritesCountRowsForEach_WithTheirContext()
    {
        string run = Train("--context-columns", "0");
        string output = cli.PathOf("samples.csv");
        var one = cli.Run("sample", "--checkpoint", run, "-n", "7", "--context", "0.5", "--output", output, "--threads", "1");
        Assert.True(one.Code == 0, one.ToString());
        Assert.Equal("context_row,x1,x2,c", File.ReadLines(output).First());
        Assert.Equal(Enumerable.Repeat(0.5, 7), Column(output, 3));

        string contexts = cli.PathOf("contexts.csv");
        File.WriteAllLines(contexts, ["c", "-1", "0", "1.5"]);
        var many = cli.Run("sample", "--checkpoint", run, "-n", "4", "--context-file", contexts, "--output", output, "--threads", "1");
        Assert.True(many.Code == 0, many.ToString());
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], Column(output, 0));
        Assert.Equal([-1, -1, -1, -1, 0, 0, 0, 0, 1.5, 1.5, 1.5, 1.5], Column(output, 3));
    }

    [Fact]
    public void BadContexts_FailWithOneLineAndExitCode2_AndWriteNothing()
    {
        string conditional = Train("--context-columns", "c");
        Assert.Equal(0, cli.TrainTiny("plain", 3).Code);
        string plain = cli.PathOf("plain");
        string output = cli.PathOf("out.csv");
        string rows = Table("rows.csv", 50, seed: 3);
        var (x, c) = Split(rows);
        string wide = cli.PathOf("wide.csv");
        File.WriteAllLines(wide, File.ReadAllLines(rows).Select(l => l + ",1"));
        string shortContext = cli.PathOf("short.csv");
        File.WriteAllLines(shortContext, File.ReadAllLines(c).Take(20));

        (string[] Args, string Problem)[] cases =
        [
            (["sample", "--checkpoint", conditional, "-n", "5", "--output", output], "models p(x | c) with 1 context value:"),
            (["sample", "--checkpoint", conditional, "-n", "5", "--context", "1,2", "--output", output], "--context: 2 values, but the run"),
            (["sample", "--checkpoint", conditional, "-n", "5", "--context", "1,abc", "--output", output], "value 2 ('abc') is not a finite number"),
            (["sample", "--checkpoint", plain, "-n", "5", "--context", "1", "--output", output], "models p(x) without a context"),
            (["score", "--checkpoint", conditional, "--data", x, "--output", output], "2 columns"),
            (["score", "--checkpoint", conditional, "--data", x, "--context-file", wide, "--output", output], "4 context columns, but the run"),
            (["score", "--checkpoint", conditional, "--data", x, "--context-file", shortContext, "--output", output], "the context file needs one row for each data row"),
            (["score", "--checkpoint", plain, "--data", x, "--context-columns", "0", "--output", output], "models p(x) without one"),
            (["score", "--checkpoint", conditional, "--data", rows, "--context-columns", "nosuch", "--output", output], "context column 'nosuch' is not in the file"),
            (["train", "--data", rows, "--context-columns", "0,1,2", "--out", cli.PathOf("all"), "--steps", "2", .. CliHarness.TinyModel], "leaves no data to model"),
            (["train", "--dataset", "conditional-sine", "--context-columns", "0", "--out", cli.PathOf("builtin"), "--steps", "2", .. CliHarness.Tiny], "go with --data FILE"),
        ];
        foreach (var (args, problem) in cases)
        {
            var outcome = cli.Run(args.Contains("--threads") ? args : [.. args, "--threads", "1"]);
            Assert.True(outcome.Code == 2, $"{string.Join(' ', args)}\n{outcome}");
            var lines = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, outcome.ToString());
            Assert.Contains(problem, lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(output), $"{string.Join(' ', args)} wrote {output}");
        }
        Assert.False(Directory.Exists(cli.PathOf("all")));
        Assert.False(Directory.Exists(cli.PathOf("builtin")));
    }

    [Fact]
    public void BuiltInTask_TrainsAndEvaluates_WithItsTrueConditionalLogLikelihood()
    {
        var train = cli.Run(["train", "--dataset", "conditional-sine", "--out", cli.PathOf("run"), "--steps", "5", .. CliHarness.Tiny]);
        Assert.True(train.Code == 0, train.ToString());
        Assert.Contains("given a context of C = 1", train.Out, StringComparison.Ordinal);
        var evaluate = cli.Run("evaluate", "--checkpoint", cli.PathOf("run"), "--samples", "10", "--max-points", "300", "--threads", "1", "--train-points", "3000", "--held-out-points", "400");
        Assert.True(evaluate.Code == 0, evaluate.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf("run"), "evaluation.json")));
        // The truth's mean is E[log N(x1; sin 3c, 0.1²)] + E[log Laplace(x2; x1·c, 0.2)] = 0.884 − 0.084 nats, up to sampling error.
        Assert.InRange(json.RootElement.GetProperty("Truth").GetDouble(), 0.6, 1.0);
    }

    public void Dispose() => cli.Dispose();
}
