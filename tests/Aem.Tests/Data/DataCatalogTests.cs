using Aem.Data;

namespace Aem.Tests.Data;

public class DataCatalogTests
{
    [Fact]
    public void Names_ListEveryTask()
    {
        Assert.Equal(
            ["spirals", "checkerboard", "diamond", "conditional-sine", "einstein", "power", "gas", "hepmass", "miniboone", "bsds300", "bsds300-images"],
            DataCatalog.Names);
    }

    [Fact]
    public void UnknownName_ListsTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => DataCatalog.Load(new DataRequest { Dataset = "mnist" }));
        Assert.Contains("hepmass", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DataCatalog.Load(new DataRequest()));
    }

    [Fact]
    public void SyntheticTasks_StillLoad()
    {
        using var data = DataCatalog.Load(new DataRequest { Dataset = "Checkerboard", SyntheticTrainPoints = 100, SyntheticHeldOutPoints = 10 });
        Assert.Equal("checkerboard", data.Name);
        Assert.Equal([100L, 2], data.Train.shape);
    }

    [Fact]
    public void PaperSets_AcceptTheDatasetFolderItself()
    {
        using var folder = new TempFolder();
        var raw = new double[200, 4];
        for (int i = 0; i < 200; i++)
        {
            for (int c = 0; c < 4; c++)
            {
                raw[i, c] = Math.Sin((i * (c + 1)) + c);
            }
        }
        folder.WriteNpy(Path.Combine("miniboone", "data.npy"), raw);
        using var fromRoot = DataCatalog.Load(new DataRequest { Dataset = "miniboone", DataDirectory = folder.Path });
        using var fromFolder = DataCatalog.Load(new DataRequest { Dataset = "miniboone", DataDirectory = Path.Combine(folder.Path, "miniboone") });
        Assert.True(fromRoot.Train.Equals(fromFolder.Train));
        Assert.Equal([162L, 4], fromRoot.Train.shape);
        Assert.NotNull(fromRoot.Standardizer);
    }
}
