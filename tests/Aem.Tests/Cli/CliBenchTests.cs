using System.Text.Json;

namespace Aem.Tests.Cli;

[Collection(CliTestGroup.Name)]
public sealed class CliBenchTests : IDisposable
{
    private readonly CliHarness cli = new();

    [Fact]
    public void Bench_InProcess_WritesAPositiveMatmulRateAsJsonAndMarkdown()
    {
        var outcome = cli.Run("bench", "--in-process", "--cases", "matmul", "--thread-counts", "1", "--repetitions", "1", "--out", cli.PathOf("bench"));

        Assert.True(outcome.Code == 0, outcome.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(cli.PathOf("bench/bench.json")));
        var result = json.RootElement.GetProperty("Results")[0];
        Assert.Equal("matmul", result.GetProperty("Case").GetString());
        Assert.True(result.GetProperty("Median").GetDouble() > 0);
        Assert.Contains("| matmul | 1 |", File.ReadAllText(cli.PathOf("bench/bench.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_UnknownCase_IsABadInputError()
    {
        var outcome = cli.Run("bench", "--cases", "nonsense", "--out", cli.PathOf("bench"));

        Assert.Equal(2, outcome.Code);
        Assert.Contains("unknown benchmark case 'nonsense'", outcome.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(cli.PathOf("bench")));
    }

    public void Dispose() => cli.Dispose();
}
