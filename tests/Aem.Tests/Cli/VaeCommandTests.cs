using Aem.Tests.Data;
using Aem.Vae;

namespace Aem.Tests.Cli;

/// <summary><c>aem vae</c> end to end on generated MNIST-format files, with a tiny VAE and a few steps of everything.</summary>
[Collection(CliTestGroup.Name)]
public sealed class VaeCommandTests : IDisposable
{
    private readonly CliHarness cli = new();
    private readonly string mnist;

    public VaeCommandTests()
    {
        mnist = cli.PathOf("mnist");
        Directory.CreateDirectory(mnist);
        var random = new Random(2);
        var train = new byte[10_030 * 784];
        random.NextBytes(train);
        var test = new byte[6 * 784];
        random.NextBytes(test);
        IdxReaderTests.WriteGzip(Path.Combine(mnist, Mnist.TrainImages + ".gz"), IdxReaderTests.Idx([10_030, 28, 28], train));
        IdxReaderTests.WriteGzip(Path.Combine(mnist, Mnist.TestImages + ".gz"), IdxReaderTests.Idx([6, 28, 28], test));
    }

    public void Dispose() => cli.Dispose();

    [Fact]
    public void PretrainFitPriorEvaluateSamples_RunInOrder_AndPrintTable2()
    {
        string vae = cli.PathOf("vae"), resmade = cli.PathOf("resmade"), aem = cli.PathOf("aem"), figure = cli.PathOf("figure6.png");
        string[] common = ["--mnist", mnist, "--threads", "1"];

        var pretrain = cli.Run(["vae", "pretrain", "--out", vae, "--steps", "3", "--batch-size", "10", "--validate-every", "0", "--latents", "2", "--channels", "2", .. common]);
        Assert.True(pretrain.Code == 0, pretrain.ToString());
        Assert.Contains("training completed at step 3", pretrain.Out, StringComparison.Ordinal);

        string[] fit = ["--vae", vae, "--steps", "2", "--batch-size", "16", "--validate-every", "0", .. common];
        var proposal = cli.Run(["vae", "fit-prior", "--prior", "resmade", "--out", resmade, .. fit]);
        Assert.True(proposal.Code == 0, proposal.ToString());
        var energy = cli.Run(["vae", "fit-prior", "--prior", "aem", "--out", aem, "--init", resmade, .. fit]);
        Assert.True(energy.Code == 0, energy.ToString());

        string table = cli.PathOf("table2.md");
        var evaluate = cli.Run(["vae", "evaluate", "--vae", vae, "--resmade", resmade, "--aem", aem, "--max-points", "3", "-k", "4", "--prior-samples", "10", "--kde-samples", "10", "--kde-validation-points", "20", "--output", table, .. common]);
        Assert.True(evaluate.Code == 0, evaluate.ToString());
        Assert.Contains("test images: 3", evaluate.Out, StringComparison.Ordinal);
        foreach (var row in new[] { "| Gaussian |", "| ResMADE |", "| AEM's proposal |", "| AEM (S = 10), estimate |", "| AEM-KDE (S = 10, h = " })
        {
            Assert.Contains(row, evaluate.Out, StringComparison.Ordinal);
        }
        Assert.Contains("-79.87", File.ReadAllText(table), StringComparison.Ordinal);
        string kdeRow = evaluate.Out.Split('\n').Single(l => l.StartsWith("| AEM-KDE (", StringComparison.Ordinal));
        Assert.DoesNotContain("needs", kdeRow, StringComparison.Ordinal);
        Assert.Matches(@"\) \| -?\d+\.\d+ ± \d+\.\d+ \| -?\d+\.\d+ ± \d+\.\d+ \| -82\.95 \| -79\.88 \|", kdeRow);

        var samples = cli.Run(["vae", "samples", "--vae", vae, "--aem", aem, "--output", figure, "-n", "4", "--proposal-samples", "10", .. common]);
        Assert.True(samples.Code == 0, samples.ToString());
        Assert.True(File.Exists(figure));

        var again = cli.Run(["vae", "pretrain", "--out", vae, "--steps", "3", .. common]);
        Assert.Equal(2, again.Code);
        Assert.Contains("--resume", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingMnistFiles_FailWithOneLineNamingThem()
    {
        var outcome = cli.Run(["vae", "pretrain", "--out", cli.PathOf("vae"), "--mnist", cli.PathOf("nowhere"), "--threads", "1"]);

        Assert.Equal(2, outcome.Code);
        Assert.Contains("nowhere", outcome.Error, StringComparison.Ordinal);
        Assert.Single(outcome.Error.Trim().Split('\n'));
    }
}
