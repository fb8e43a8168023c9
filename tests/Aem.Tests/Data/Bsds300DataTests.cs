using Aem.Data;
using PureHDF;
using TorchSharp;

namespace Aem.Tests.Data;

public class Bsds300DataTests
{
    private static float[,] Patches(int rows, float offset)
    {
        var data = new float[rows, 63];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 63; c++)
            {
                data[r, c] = offset + (r * 0.01f) - (c * 0.001f);
            }
        }
        return data;
    }

    [Fact]
    public void ReadsTheThreeDatasetsAsTheyAre()
    {
        using var folder = new TempFolder();
        var train = Patches(50, 0);
        var validation = new double[10, 63];
        validation[9, 62] = -0.25;
        new H5File { ["train"] = train, ["validation"] = validation, ["test"] = Patches(20, 1) }
            .Write(folder.File("BSDS300", "BSDS300.hdf5"));

        using var data = DataCatalog.Load(new DataRequest { Dataset = "bsds300", DataDirectory = folder.Path });
        Assert.Equal([50L, 63], data.Train.shape);
        Assert.Equal([10L, 63], data.Validation.shape);
        Assert.Equal([20L, 63], data.Test.shape);
        Assert.Null(data.Standardizer);
        Assert.Equal(train[49, 62], data.Train[49, 62].ToSingle());
        Assert.Equal(-0.25f, data.Validation[9, 62].ToSingle());
        Assert.Equal(1 + 0.19f - 0.062f, data.Test[19, 62].ToSingle(), 1e-6f);
    }

    [Fact]
    public void MissingDataset_IsNamed()
    {
        using var folder = new TempFolder();
        string path = folder.File("BSDS300.hdf5");
        new H5File { ["train"] = Patches(5, 0), ["test"] = Patches(5, 0) }.Write(path);
        var error = Assert.Throws<DataFormatException>(() => DataCatalog.Load(new DataRequest { Dataset = "bsds300", DataDirectory = folder.Path }));
        Assert.Equal(path, error.File);
        Assert.Contains("'validation'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteValue_NamesRowAndColumn()
    {
        using var folder = new TempFolder();
        string path = folder.File("BSDS300.hdf5");
        var test = Patches(5, 0);
        test[3, 10] = float.NaN;
        new H5File { ["train"] = Patches(5, 0), ["validation"] = Patches(5, 0), ["test"] = test }.Write(path);
        var error = Assert.Throws<DataFormatException>(() => DataCatalog.Load(new DataRequest { Dataset = "bsds300", DataDirectory = path }));
        Assert.Equal((path, 4, 11), (error.File, error.Row, error.Column));
        Assert.Contains("'test'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotHdf5_IsRefused()
    {
        using var folder = new TempFolder();
        string path = folder.WriteText(Path.Combine("BSDS300", "BSDS300.hdf5"), "plain text, not HDF5");
        var error = Assert.Throws<DataFormatException>(() => DataCatalog.Load(new DataRequest { Dataset = "bsds300", DataDirectory = folder.Path }));
        Assert.Equal(path, error.File);
        Assert.Contains("HDF5", error.Message, StringComparison.Ordinal);
    }
}
