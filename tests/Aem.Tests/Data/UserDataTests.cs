using Aem.Data;
using static TorchSharp.torch;

namespace Aem.Tests.Data;

public class UserDataTests
{
    /// <summary>Rows whose first column is the row index, so splits can be traced.</summary>
    private static double[,] Indexed(int rows, int offset = 0)
    {
        var data = new double[rows, 3];
        for (int i = 0; i < rows; i++)
        {
            data[i, 0] = i + offset;
            data[i, 1] = Math.Cos(i) * 5;
            data[i, 2] = (i % 7) - 100;
        }
        return data;
    }

    private static int[] Indices(NumericTable table, Standardizer? standardizer) =>
        Enumerable.Range(0, table.Rows)
            .Select(r => (int)Math.Round(standardizer is null ? table[r, 0] : TableAssert.Unstandardised(table, standardizer, r)[0]))
            .ToArray();

    [Fact]
    public void OneFile_IsShuffledAndSplit_TestLast10PercentThenValidation()
    {
        using var folder = new TempFolder();
        string path = folder.WriteTable("data.csv", Indexed(1000), header: "i,cos,mod");
        var splits = UserData.Load(new DataRequest { File = path, Seed = 9 });
        Assert.Equal((810, 90, 100), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
        var order = new NumpyRandomState(9).Permutation(1000);
        Assert.Equal(order[..810], Indices(splits.Train, splits.Standardizer));
        Assert.Equal(order[810..900], Indices(splits.Validation, splits.Standardizer));
        Assert.Equal(order[900..], Indices(splits.Test, splits.Standardizer));
    }

    [Fact]
    public void Standardizer_IsFittedOnTrainingOnly_AndAppliedToAll()
    {
        using var folder = new TempFolder();
        var raw = Indexed(500);
        string path = folder.WriteNpy("data.npy", raw);
        var splits = UserData.Load(new DataRequest { File = path });
        TableAssert.Standardised(ddof: 0, splits.Train);
        var s = splits.Standardizer!;
        // Held-out rows are transformed with the training statistics.
        int i = Indices(splits.Test, s)[0];
        Assert.Equal((raw[i, 1] - s.Mean[1]) / s.Scale[1], splits.Test[0, 1], 1e-12);
        Assert.NotEqual(0, TableAssert.Means(splits.Test)[0], 1e-6);
    }

    [Fact]
    public void SeparateFiles_AreUsedAsGiven()
    {
        using var folder = new TempFolder();
        string train = folder.WriteTable("train.txt", Indexed(40), separator: " ");
        string validation = folder.WriteTable("val.csv", Indexed(7, 1000), separator: ";");
        string test = folder.WriteNpy("test.npy", Indexed(5, 2000));
        var splits = UserData.Load(new DataRequest { File = train, ValidationFile = validation, TestFile = test, Standardize = false });
        Assert.Equal((40, 7, 5), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
        Assert.Equal(Enumerable.Range(1000, 7), Indices(splits.Validation, null));
        Assert.Equal(Enumerable.Range(2000, 5), Indices(splits.Test, null));
        Assert.Equal(Enumerable.Range(0, 40), Indices(splits.Train, null).Order());
        Assert.Null(splits.Standardizer);
    }

    [Fact]
    public void OnlyATestFile_SplitsValidationOffTheMainFile()
    {
        using var folder = new TempFolder();
        string train = folder.WriteTable("train.csv", Indexed(100));
        string test = folder.WriteTable("test.csv", Indexed(9, 500));
        var splits = UserData.Load(new DataRequest { File = train, TestFile = test });
        Assert.Equal((90, 10, 9), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
    }

    [Fact]
    public void MismatchedWidths_NameTheFile()
    {
        using var folder = new TempFolder();
        string train = folder.WriteTable("train.csv", Indexed(100));
        string test = folder.WriteText("test.csv", "1,2\n3,4\n");
        var error = Assert.Throws<DataFormatException>(() => UserData.Load(new DataRequest { File = train, TestFile = test }));
        Assert.Equal(test, error.File);
        Assert.Contains("2 columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_ReturnsFloat32TensorsAndTheStandardizer()
    {
        using var folder = new TempFolder();
        string path = folder.WriteTable("data.csv", Indexed(200));
        using var data = DataCatalog.Load(new DataRequest { File = path });
        Assert.Equal("data.csv", data.Name);
        Assert.Equal(ScalarType.Float32, data.Train.dtype);
        Assert.Equal([162L, 3], data.Train.shape);
        Assert.Equal(3, data.Features);
        Assert.NotNull(data.Standardizer);
        using var back = data.Standardizer!.Inverse(data.Test);
        Assert.All(back.select(1, 0).data<float>().ToArray(), v => Assert.Equal(Math.Round(v), v, 1e-3));
    }
}
