using Aem.Data;

namespace Aem.Tests.Data;

public class PowerDataTests
{
    private const int Rows = 1000;

    /// <summary>An identifiable POWER-like table: column c of row i is distinct per (i, c); column 7 (time) is i.</summary>
    private static double[,] Raw()
    {
        var raw = new double[Rows, 8];
        for (int i = 0; i < Rows; i++)
        {
            for (int c = 0; c < 8; c++)
            {
                raw[i, c] = (((i * 7919) + (c * 104729)) % 1000 / 8.0) + (c * 1000.0);
            }
            raw[i, 7] = i;
        }
        return raw;
    }

    private static TableSplits Load(TempFolder folder) =>
        PowerData.Load(folder.WriteNpy(Path.Combine("power", "data.npy"), Raw()));

    [Fact]
    public void Splits_FollowTheMafRule()
    {
        using var folder = new TempFolder();
        var splits = Load(folder);
        Assert.Equal((810, 90, 100), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
        Assert.Equal(6, splits.Features);
    }

    [Fact]
    public void DropsColumns3And1_AndAddsTheStatedNoise()
    {
        using var folder = new TempFolder();
        var raw = Raw();
        var splits = Load(folder);
        int[] source = [0, 2, 4, 5, 6, 7];
        double[] noise = [0.001, 0.01, 1, 1, 1, 0];
        var seen = new HashSet<int>();
        foreach (var table in new[] { splits.Train, splits.Validation, splits.Test })
        {
            for (int r = 0; r < table.Rows; r++)
            {
                var x = TableAssert.Unstandardised(table, splits.Standardizer!, r);
                int i = (int)Math.Round(x[5]);
                Assert.Equal(i, x[5], 1e-9);
                Assert.True(seen.Add(i));
                for (int c = 0; c < 5; c++)
                {
                    double added = x[c] - raw[i, source[c]];
                    Assert.InRange(added, -1e-9, noise[c] + 1e-9);
                }
            }
        }
        Assert.Equal(Rows, seen.Count);
    }

    [Fact]
    public void TrainPlusValidation_HasZeroMeanAndUnitPopulationStd()
    {
        using var folder = new TempFolder();
        var splits = Load(folder);
        TableAssert.Standardised(ddof: 0, splits.Train, splits.Validation);
    }

    [Fact]
    public void MatchesMafCodeRunWithNumpy()
    {
        // The MAF power.py pipeline run with NumPy 1.24 on the same raw table.
        using var folder = new TempFolder();
        var splits = Load(folder);
        Assert.Equal([1.0264833988069766, -0.8373973627829887, 0.7329660889366126, -0.21280745023369446, -1.1394966252123655, 0.06294670185571768],
            splits.Train.Row(0).ToArray(), new Near(1e-12));
        Assert.Equal([-0.8180898864673698, 0.7782120577485903, -1.1283476098348224, 1.409424529398369, 0.465461586913035, 0.1285481524732685],
            splits.Validation.Row(0).ToArray(), new Near(1e-12));
        Assert.Equal([0.8177440012652694, -1.0513672884224934, 0.5169943562477418, -0.42199027550500706, -1.3343995280470582, -1.3837379196576396],
            splits.Test.Row(99).ToArray(), new Near(1e-12));
        Assert.Equal([62.38216510579967, 2061.997808203669, 4063.4811809323455, 5063.242925012237, 6062.671518341673, 502.7688888888889],
            splits.Standardizer!.Mean, new Near(1e-9));
    }

    [Fact]
    public void AcceptsTheFileDirectly_AndRefusesOtherWidths()
    {
        using var folder = new TempFolder();
        string path = folder.WriteNpy("anywhere.npy", Raw());
        using var data = DataCatalog.Load(new DataRequest { Dataset = "power", DataDirectory = path });
        Assert.Equal([810L, 6], data.Train.shape);
        string narrow = folder.WriteNpy("narrow.npy", new double[100, 7]);
        var error = Assert.Throws<DataFormatException>(() => PowerData.Load(narrow));
        Assert.Equal(narrow, error.File);
        Assert.Contains("8 columns", error.Message, StringComparison.Ordinal);
    }
}
