using Aem.Data;
using Aem.Tests.Data;

namespace Aem.Tests.Api;

/// <summary>The .NET API's conditional density p(x | c): fit, per-row log-likelihood and sampling with a context argument.</summary>
// Fitting draws the model's initial weights from torch's global generator.
[Collection(nameof(Aem.Tests.Checkpoints.GlobalRandomState))]
public sealed class AemModelConditionalTests : IDisposable
{
    private readonly TempFolder folder = new();

    /// <summary>conditional-sine's x (in shifted, scaled units) and its context c (in its own units).</summary>
    private static (double[,] X, double[,] C) Rows(int n, int seed)
    {
        var rows = ConditionalSine.Generate(n, seed);
        var x = new double[n, 2];
        var c = new double[n, 1];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = 100 + (10 * rows[i, 0]);
            x[i, 1] = rows[i, 1];
            c[i, 0] = 50 * rows[i, 2];
        }
        return (x, c);
    }

    [Fact]
    public void FitScoreSample_WithContexts_AndSaveLoadKeepsThem()
    {
        var (x, c) = Rows(600, seed: 1);
        using var model = AemModel.Fit(x, c, new AemFitOptions { Steps = 30, Threads = 1, ColumnNames = ["a", "b"], ContextColumnNames = ["load"] });
        Assert.Equal(2, model.Features);
        Assert.Equal(1, model.ContextFeatures);
        Assert.Equal(["load"], model.ContextColumnNames!);
        var (testX, testC) = Rows(100, seed: 2);
        var logLikelihood = model.LogLikelihood(testX, testC, samples: 50, seed: 3);
        Assert.Equal(100, logLikelihood.Length);
        Assert.All(logLikelihood, v => Assert.True(double.IsFinite(v)));

        // The context is an input, not data: other contexts give other log-likelihoods of the same rows.
        var reversed = new double[100, 1];
        for (int i = 0; i < 100; i++) reversed[i, 0] = testC[99 - i, 0];
        Assert.NotEqual(logLikelihood, model.LogLikelihood(testX, reversed, samples: 50, seed: 3));

        var samples = model.Sample(new double[,] { { -40 }, { 60 } }, countPerContext: 5, seed: 4);
        Assert.Equal(10, samples.GetLength(0));
        Assert.Equal(2, samples.GetLength(1));

        string saved = folder.File("model");
        model.Save(saved);
        using var again = AemModel.Load(saved);
        Assert.Equal(1, again.ContextFeatures);
        Assert.Equal(logLikelihood, again.LogLikelihood(testX, testC, samples: 50, seed: 3));
    }

    [Fact]
    public void MissingOrMismatchedContexts_AreRefused()
    {
        var (x, c) = Rows(200, seed: 5);
        var fewer = new double[199, 1];
        Assert.Throws<ArgumentException>(() => AemModel.Fit(x, fewer, new AemFitOptions { Steps = 2, Threads = 1 }));
        using var model = AemModel.Fit(x, c, new AemFitOptions { Steps = 2, Threads = 1 });
        Assert.Throws<ArgumentException>(() => model.LogLikelihood(x, samples: 5));
        Assert.Throws<ArgumentException>(() => model.Sample(5));
        Assert.Throws<ArgumentException>(() => model.LogLikelihood(x, new double[200, 2], samples: 5));
        Assert.Throws<ArgumentException>(() => model.Sample(new double[1, 3], 5));

        using var plain = AemModel.Fit(x, new AemFitOptions { Steps = 2, Threads = 1 });
        Assert.Equal(0, plain.ContextFeatures);
        Assert.Throws<ArgumentException>(() => plain.LogLikelihood(x, c, samples: 5));
        Assert.Throws<ArgumentException>(() => plain.Sample(c, 5));
    }

    public void Dispose() => folder.Dispose();
}
