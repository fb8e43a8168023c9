using Aem.Data;
using static TorchSharp.torch;

namespace Aem.Tests.Data;

public class StandardizerTests
{
    [Fact]
    public void FitTable_UsesTheRequestedDegreesOfFreedom()
    {
        var table = TempFolder.Table("t", new double[,] { { 1, 10 }, { 2, 10.5 }, { 3, 20 }, { 4, 21 } });
        var population = Standardizer.Fit(table, 4, ddof: 0, "rows");
        var sample = Standardizer.Fit(table, 4, ddof: 1, "rows");
        Assert.Equal(2.5, population.Mean[0], 1e-15);
        Assert.Equal(Math.Sqrt(1.25), population.Scale[0], 1e-15);
        Assert.Equal(Math.Sqrt(5.0 / 3), sample.Scale[0], 1e-15);
        // Only the first rows are fitted.
        Assert.Equal(10.25, Standardizer.Fit(table, 2, ddof: 0, "rows").Mean[1], 1e-15);
    }

    [Fact]
    public void FitTensor_RefusesConstantColumns()
    {
        using var data = tensor(new float[] { 1, 5, 2, 5, 3, 5 }, [3, 2]);
        var error = Assert.Throws<ArgumentException>(() => Standardizer.Fit(data));
        Assert.Contains("Column 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransformInPlace_AgreesWithTensorTransform()
    {
        var table = TempFolder.Table("t", new double[,] { { 1, 10 }, { 2, 10.5 }, { 3, 20 } });
        var standardizer = Standardizer.Fit(table, 3, ddof: 0, "rows");
        using var x = table.ToTensor().to(float64);
        using var z = standardizer.Transform(x);
        standardizer.TransformInPlace(table);
        Assert.Equal(z.data<double>().ToArray(), table.Values, new Near(1e-6));
    }
}
