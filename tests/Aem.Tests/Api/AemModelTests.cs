using Aem.Tests.Data;

namespace Aem.Tests.Api;

// Fitting draws the model's initial weights from torch's global generator.
[Collection(nameof(Aem.Tests.Checkpoints.GlobalRandomState))]
public sealed class AemModelTests : IDisposable
{
    private readonly TempFolder folder = new();

    /// <summary>Correlated rows in large, shifted units, so standardisation matters.</summary>
    private static double[,] Rows(int n, int seed)
    {
        var random = new Random(seed);
        var rows = new double[n, 2];
        for (int i = 0; i < n; i++)
        {
            double a = Normal(random), b = Normal(random);
            rows[i, 0] = 1000 + (50 * a);
            rows[i, 1] = -3 + (0.2 * (a + b));
        }
        return rows;
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void FitSaveLoad_GivesTheSameScores_InTheCallersUnits()
    {
        var rows = Rows(400, seed: 1);
        using var model = AemModel.Fit(rows, new AemFitOptions { Steps = 60, ColumnNames = ["price", "rate"] });
        Assert.Equal(60, model.Training!.State.Step);
        var scores = model.Score(rows, samples: 100, seed: 3);
        Assert.Equal(400, scores.LogLikelihood.Length);
        Assert.All(scores.LogLikelihood, v => Assert.True(double.IsFinite(v)));
        // In the data's units: the density of a column with scale 50 is about log(1/50) lower than a standard one.
        Assert.InRange(scores.LogProposal.Average(), -12, -2);

        string saved = folder.File("model");
        model.Save(saved);
        using var loaded = AemModel.Load(saved);
        Assert.Equal(["price", "rate"], loaded.ColumnNames);
        Assert.Equal(scores.LogLikelihood, loaded.Score(rows, samples: 100, seed: 3).LogLikelihood);

        var samples = loaded.Sample(500, seed: 4);
        Assert.Equal((500, 2), (samples.GetLength(0), samples.GetLength(1)));
        double mean = Enumerable.Range(0, 500).Average(i => samples[i, 0]);
        Assert.InRange(mean, 900, 1100);                                    // the data's units, not standardised ones
    }

    [Fact]
    public void Fit_WithoutAThreadCount_TimesTheWaysToUseTheCores_AndSaysWhichItUsed()
    {
        // Six columns at the table defaults: batches of several micro-batches, so two workers are a candidate.
        var random = new Random(6);
        var rows = new double[3000, 6];
        for (int i = 0; i < 3000; i++)
        {
            for (int j = 0; j < 6; j++) rows[i, j] = Normal(random) + (j > 0 ? 0.5 * rows[i, j - 1] : 0);
        }
        int threads = TorchSharp.torch.get_num_threads();
        try
        {
            using var model = AemModel.Fit(rows, new AemFitOptions { Steps = 3 });
            var compute = model.Compute!;
            Assert.NotNull(compute.WorkersStepsPerSecond);
            Assert.Contains("measured", compute.Describe(), StringComparison.Ordinal);
            Assert.Equal(compute.Workers, Aem.Runtime.TorchRuntime.TrainingWorkers);

            using var fixedThreads = AemModel.Fit(rows, new AemFitOptions { Steps = 3, Threads = 1 });
            Assert.Equal(new Aem.Training.ParallelismChoice(1, 1, null, null), fixedThreads.Compute);
            Assert.Equal(1, Aem.Runtime.TorchRuntime.TrainingWorkers);
        }
        finally
        {
            Aem.Runtime.TorchRuntime.SetTrainingWorkers(1);
            TorchSharp.torch.set_num_threads(threads);
        }
    }

    [Fact]
    public void NonFiniteRows_AreRefusedByPosition()
    {
        var rows = Rows(50, seed: 2);
        rows[7, 1] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() => AemModel.Fit(rows));
        Assert.Contains("row 7, column 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_RefusesRowsOfTheWrongWidth()
    {
        using var model = AemModel.Fit(Rows(100, seed: 5), new AemFitOptions { Steps = 5 });
        Assert.Throws<ArgumentException>(() => model.Score(new double[3, 5]));
    }

    public void Dispose() => folder.Dispose();
}
