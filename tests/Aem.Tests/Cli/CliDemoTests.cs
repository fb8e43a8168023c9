using System.Text.Json;

namespace Aem.Tests.Cli;

/// <summary><c>aem demo</c>: fixed work by default, so a seed gives the same run on any machine.</summary>
[Collection(CliTestGroup.Name)]
public sealed class CliDemoTests : IDisposable
{
    private readonly CliHarness cli = new();

    private JsonElement Demo(string folder, params string[] extra)
    {
        var outcome = cli.Run(
            ["demo", "--steps", "12", "--eval-points", "64", "--samples", "10", "--points", "500", "--threads", "1", "--out", cli.PathOf(folder), .. extra]);
        Assert.True(outcome.Code == 0, outcome.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.PathOf(folder), "report.json")));
        return report.RootElement.Clone();
    }

    [Fact]
    public void TheSameSeed_GivesTheSameStepsAndScores_AndAnotherSeedDoesNot()
    {
        var first = Demo("a");
        var second = Demo("b");
        var other = Demo("c", "--seed", "2");
        Assert.Equal(12, first.GetProperty("StepsDone").GetInt32());
        Assert.Equal("completed", first.GetProperty("StopReason").GetString());
        string Scores(JsonElement report) => report.GetProperty("Evaluation").GetProperty("Scores").GetRawText();
        Assert.Equal(Scores(first), Scores(second));
        Assert.NotEqual(Scores(first), Scores(other));
    }

    public void Dispose() => cli.Dispose();
}
