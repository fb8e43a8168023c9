using Aem.Evaluation;
using static TorchSharp.torch;

namespace Aem.Tests.Evaluation;

public class SummaryStatisticsTests
{
    [Fact]
    public void MeanWithError_UsesPopulationStandardDeviationOverRootN()
    {
        var summary = MeanWithError.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, summary.Mean, 12);
        // Population variance 1.25, so SE = √(1.25 / 4).
        Assert.Equal(Math.Sqrt(1.25 / 4), summary.StandardError, 12);
        Assert.Equal(2 * Math.Sqrt(1.25 / 4), summary.TwoStandardErrors, 12);
        Assert.Equal(4, summary.Count);
        Assert.Equal("2.50 ± 1.12", summary.Format());
    }

    [Fact]
    public void MeanWithError_OfFloat32Tensor_MatchesExactValues()
    {
        using var values = tensor(new float[] { 1.5f, 2.5f, 3.5f });
        var summary = MeanWithError.OfTensor(values);
        Assert.Equal(2.5, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(2.0 / 3 / 3), summary.StandardError, 12);
    }

    [Fact]
    public void Percentile_InterpolatesBetweenOrderStatistics()
    {
        double[] values = [10, 1, 4, 3, 2];
        Assert.Equal(1, Percentile.Of(values, 0));
        Assert.Equal(3, Percentile.Of(values, 50));
        Assert.Equal(10, Percentile.Of(values, 100));
        // NumPy: percentile([1, 2, 3, 4, 10], 95) = 4 + 0.8·6 = 8.8.
        Assert.Equal(8.8, Percentile.Of(values, 95), 12);
        Assert.Equal(1.2, Percentile.Of(values, 5), 12);
        Assert.True(double.IsNaN(Percentile.Of(Array.Empty<double>(), 50)));
    }

    [Fact]
    public void PointSubset_IsSeededAndWithoutReplacement()
    {
        using var data = arange(100, dtype: float64).unsqueeze(1);
        using var a = PointSubset.Take(data, 10, seed: 3);
        using var b = PointSubset.Take(data, 10, seed: 3);
        using var c = PointSubset.Take(data, 10, seed: 4);
        using var all = PointSubset.Take(data, 1000, seed: 3);
        Assert.Equal(10, a.shape[0]);
        Assert.True(a.Equals(b));
        Assert.False(a.Equals(c));
        Assert.Equal(10, a.unique().Item1.shape[0]);
        Assert.Equal(100, all.shape[0]);
    }
}
