using System.Text.Json;
using SkiaSharp;

namespace Aem.Tests.Cli;

/// <summary><c>aem figure 2</c>, <c>aem calibrate</c> and <c>aem evaluate --kde</c> on a tiny budget.</summary>
[Collection(CliTestGroup.Name)]
public sealed class CliEvaluationCommandsTests : IDisposable
{
    private readonly CliHarness cli = new();

    [Fact]
    public void Figure2_WritesTheBoxPlotAndItsData()
    {
        string output = cli.PathOf("fig");
        var outcome = cli.Run("figure", "2", "--dimensions", "1,5,50", "--trials", "10", "--out", output, "--threads", "1");
        Assert.True(outcome.Code == 0, outcome.ToString());
        AssertIsAPicture(Path.Combine(output, "figure2.png"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "figure2.json")));
        var results = json.RootElement.GetProperty("Results");
        Assert.Equal(3, results.GetArrayLength());
        Assert.Equal(50, results[2].GetProperty("Dimension").GetInt32());
        Assert.Equal(10, results[2].GetProperty("LogZHat").GetArrayLength());
    }

    [Theory]
    [InlineData("figure 5", "figure 5 from 'aem calibrate'")]
    [InlineData("figure 2 --dimensions 1,x", "'x' is not a positive whole number")]
    [InlineData("calibrate --checkpoint nowhere", "nowhere")]
    public void BadInput_FailsWithOneLine(string arguments, string problem)
    {
        var outcome = cli.Run([.. arguments.Split(' '), "--out", cli.PathOf("out")]);
        Assert.True(outcome.Code == 2, outcome.ToString());
        Assert.Contains(problem, outcome.Error, StringComparison.Ordinal);
        Assert.Single(outcome.Error.Trim().Split('\n'));
        Assert.False(Directory.Exists(cli.PathOf("out")));
    }

    [Fact]
    public void CalibrateAndEvaluateWithKde_OnATinyRun_WriteTheirReports()
    {
        Assert.Equal(0, cli.TrainTiny("run", 20).Code);
        string run = cli.PathOf("run");

        var calibrate = cli.Run("calibrate", "--checkpoint", run, "--conditionals", "6", "--sizes", "1,100", "--tolerance", "1e-6", "--grid-mass", "--threads", "1");
        Assert.True(calibrate.Code == 0, calibrate.ToString());
        AssertIsAPicture(Path.Combine(run, "figure5.png"));
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "calibration.json"))))
        {
            var result = json.RootElement.GetProperty("Result");
            Assert.Equal(6, result.GetProperty("Conditionals").GetArrayLength());
            Assert.Equal(2, result.GetProperty("Summaries").GetArrayLength());
            // Checkerboard's uniform proposal: every conditional is integrated over [−4, 4].
            Assert.Equal(-4, result.GetProperty("Conditionals")[0].GetProperty("Low").GetDouble());
            // Quadrature-normalised conditionals give a density, and the grid covers the proposal's square.
            var mass = json.RootElement.GetProperty("GridMass");
            Assert.Equal(4, mass.GetProperty("High").GetDouble());
            Assert.InRange(mass.GetProperty("MassQuadrature").GetDouble(), 0.995, 1.005);
        }
        Assert.Contains("| 100 |", File.ReadAllText(Path.Combine(run, "calibration.md")), StringComparison.Ordinal);

        var evaluate = cli.Run("evaluate", "--checkpoint", run, "--samples", "50", "--max-points", "60", "--kde", "--kde-validation-points", "40", "--threads", "1");
        Assert.True(evaluate.Code == 0, evaluate.ToString());
        Assert.Contains("AEM-KDE", evaluate.Out, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json"))))
        {
            var root = json.RootElement.GetProperty("Scores");
            Assert.True(double.IsFinite(root.GetProperty("Kde").GetProperty("Mean").GetDouble()));
            Assert.Equal(40, root.GetProperty("KdeSelection").GetProperty("Points").GetInt64());
            Assert.Equal(-Math.Log(64), root.GetProperty("Proposal").GetProperty("Mean").GetDouble(), 5);
        }
    }

    private static void AssertIsAPicture(string path)
    {
        Assert.True(File.Exists(path), $"missing {path}");
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width > 100 && bitmap.Height > 100);
    }

    public void Dispose() => cli.Dispose();
}
