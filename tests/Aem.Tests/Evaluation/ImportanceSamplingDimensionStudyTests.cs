using Aem.Evaluation;

namespace Aem.Tests.Evaluation;

public class ImportanceSamplingDimensionStudyTests
{
    [Fact]
    public void Run_OneDimension_ZHatIsUnbiased()
    {
        var result = ImportanceSamplingDimensionStudy.Run([1], trials: 4000, seed: 1).Single();
        var z = result.LogZHat.Select(Math.Exp).ToArray();
        var summary = MeanWithError.Of(z);
        Assert.InRange(1.0, summary.Mean - (2.5 * summary.StandardError), summary.Mean + (2.5 * summary.StandardError));
    }

    [Fact]
    public void Run_EstimatesSinkAndSpreadAsDimensionGrows()
    {
        // 1,000 trials rather than the figure's 50, so that the means are resolved: the expected downward
        // bias at D = 20 is about Var(w)/2S = (1.072²⁰ − 1)/40 ≈ 0.07 (E[w²] = 1.25/√1.36 ≈ 1.072 per
        // dimension), against a standard error of ≈ 0.013.
        var results = ImportanceSamplingDimensionStudy.Run([1, 20, 100], trials: 1000, seed: 2);
        Assert.All(results, r => Assert.Equal(1000, r.LogZHat.Count));
        var (low, mid, high) = (results[0], results[1], results[2]);
        // E[log Ẑ] ≤ log Z = 0 (Jensen); the downward bias and the spread grow with D.
        Assert.InRange(low.Mean, -0.1, 0.05);
        Assert.True(high.Mean < mid.Mean && mid.Mean < low.Mean);
        Assert.True(high.Mean < -1, $"mean log Ẑ at D = 100 is {high.Mean}");
        double Spread(DimensionStudyResult r) => r.Percentile(95) - r.Percentile(5);
        Assert.True(Spread(high) > Spread(low));
    }

    [Fact]
    public void Run_IsReproducibleFromItsSeed()
    {
        var a = ImportanceSamplingDimensionStudy.Run([3, 7], seed: 5);
        var b = ImportanceSamplingDimensionStudy.Run([3, 7], seed: 5);
        Assert.Equal(a[1].LogZHat, b[1].LogZHat);
    }
}
