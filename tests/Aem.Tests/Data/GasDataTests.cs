using System.Globalization;
using System.Text;
using Aem.Data;

namespace Aem.Tests.Data;

public class GasDataTests
{
    private const int Rows = 400;

    /// <summary>
    /// Sixteen sensors (NumPy RandomState(5).rand) where sensor 1 ≈ 2·sensor 0, sensors 4, 5, 6 are
    /// near-copies of each other, sensor 9 = sensor 8 + noise (correlation 0.89, kept), and sensor 15 is
    /// the row index so rows can be traced.
    /// </summary>
    private static double[,] Sensors()
    {
        var random = new NumpyRandomState(5);
        var x = new double[Rows, 16];
        for (int i = 0; i < Rows; i++)
        {
            for (int c = 0; c < 16; c++)
            {
                x[i, c] = random.NextDouble();
            }
        }
        var u = new double[Rows, 4];
        for (int i = 0; i < Rows; i++)
        {
            for (int c = 0; c < 4; c++)
            {
                u[i, c] = random.NextDouble();
            }
        }
        for (int i = 0; i < Rows; i++)
        {
            x[i, 1] = (2 * x[i, 0]) + (0.01 * u[i, 0]);
            x[i, 5] = x[i, 4] + (0.001 * u[i, 1]);
            x[i, 6] = x[i, 4] + (0.002 * u[i, 2]);
            x[i, 9] = x[i, 8] + (0.5 * u[i, 3]);
            x[i, 15] = i;
        }
        return x;
    }

    /// <summary>Time, CO, ethylene (distinctive values), then the sensors.</summary>
    private static double[,] WithLeadingColumns(double[,] sensors)
    {
        var full = new double[Rows, 19];
        for (int i = 0; i < Rows; i++)
        {
            full[i, 0] = i * 0.01;
            full[i, 1] = 1e6 + i;
            full[i, 2] = -1e6 - i;
            for (int c = 0; c < 16; c++)
            {
                full[i, 3 + c] = sensors[i, c];
            }
        }
        return full;
    }

    private static readonly int[] Kept = [1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    [Fact]
    public void CorrelationLoop_DropsTheFirstOfEachCorrelatedGroup()
    {
        // Same answer as MAF's pandas loop on this table: columns 0, 4, 5 go.
        var table = TempFolder.Table("gas", Sensors());
        Assert.Equal(Kept, GasData.UncorrelatedColumns(table));
    }

    [Fact]
    public void Export19_DropsTimeAndConcentrations_KeepsFileOrder_AndSplits()
    {
        using var folder = new TempFolder();
        var sensors = Sensors();
        var splits = GasData.Load(folder.WriteNpy(Path.Combine("gas", "ethylene_CO.npy"), WithLeadingColumns(sensors)), 0.25);
        Assert.Equal((324, 36, 40), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
        Assert.Equal(Kept.Length, splits.Features);
        int row = 0;
        foreach (var table in new[] { splits.Train, splits.Validation, splits.Test })
        {
            for (int r = 0; r < table.Rows; r++, row++)
            {
                var x = TableAssert.Unstandardised(table, splits.Standardizer!, r);
                Assert.Equal(Kept.Select(c => sensors[row, c]), x, new Near(1e-9));
            }
        }
    }

    [Fact]
    public void WholeSet_HasZeroMeanAndUnitSampleStd()
    {
        using var folder = new TempFolder();
        var splits = GasData.Load(folder.WriteNpy("ethylene_CO.npy", Sensors()), 0.25);
        TableAssert.Standardised(ddof: 1, splits.Train, splits.Validation, splits.Test);
        // Matches pandas' (data - data.mean()) / data.std() after the same loop.
        Assert.Equal(-0.9488238961293225, splits.Train[0, 0], 1e-12);
        Assert.Equal(1.7255650706268892, splits.Test[39, 12], 1e-12);
    }

    [Fact]
    public void RawText_KeepsASeededFraction_InShuffledOrder()
    {
        using var folder = new TempFolder();
        var sensors = Sensors();
        var full = WithLeadingColumns(sensors);
        var text = new StringBuilder("Time (seconds), CO conc (ppm), Ethylene conc (ppm), sensor readings (16 channels)\n");
        for (int i = 0; i < Rows; i++)
        {
            text.AppendJoin("   ", Enumerable.Range(0, 19).Select(c => full[i, c].ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }
        string path = folder.WriteText(Path.Combine("gas", "ethylene_CO.txt"), text.ToString());
        var splits = GasData.Load(folder.Path, 0.5);
        Assert.Equal(200, splits.Train.Rows + splits.Validation.Rows + splits.Test.Rows);
        var order = new NumpyRandomState(42).Permutation(Rows);
        var x = TableAssert.Unstandardised(splits.Train, splits.Standardizer!, 0);
        int first = (int)Math.Round(x[^1]);
        Assert.Equal(order[0], first);
        Assert.Equal(Kept.Select(c => sensors[first, c]), x, new Near(1e-9));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Pickle_IsExplainedNotRead()
    {
        using var folder = new TempFolder();
        string pickle = folder.WriteText(Path.Combine("gas", "ethylene_CO.pickle"), "not really");
        var error = Assert.Throws<DataFormatException>(() => GasData.Load(folder.Path, 0.25));
        Assert.Equal(pickle, error.File);
        Assert.Contains("np.save", error.Message, StringComparison.Ordinal);
    }
}
