using Aem.Data;

namespace Aem.Tests.Data;

public class MinibooneDataTests
{
    [Fact]
    public void SplitsInFileOrder_AndStandardisesWithTrainPlusValidation()
    {
        using var folder = new TempFolder();
        var raw = new double[1000, 5];
        for (int i = 0; i < 1000; i++)
        {
            raw[i, 0] = i;
            for (int c = 1; c < 5; c++)
            {
                raw[i, c] = Math.Sin((i * 0.37) + c) * c;
            }
        }
        folder.WriteNpy(Path.Combine("miniboone", "data.npy"), raw);
        var splits = MinibooneData.Load(folder.Path);
        Assert.Equal((810, 90, 100), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
        TableAssert.Standardised(ddof: 0, splits.Train, splits.Validation);
        // No shuffling: the test split is the file's last 100 rows, in order.
        Assert.Equal(900, TableAssert.Unstandardised(splits.Test, splits.Standardizer!, 0)[0], 1e-9);
        Assert.Equal(999, TableAssert.Unstandardised(splits.Test, splits.Standardizer!, 99)[0], 1e-9);
        Assert.Equal(810, TableAssert.Unstandardised(splits.Validation, splits.Standardizer!, 0)[0], 1e-9);
    }
}
