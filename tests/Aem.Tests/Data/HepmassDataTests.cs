using System.Globalization;
using System.Text;
using Aem.Data;

namespace Aem.Tests.Data;

public class HepmassDataTests
{
    /// <summary>
    /// 200 training rows, every 4th labelled 0 (with f0 = −9999 so that a leak would show). f1 is
    /// discrete; f3 repeats 0.5 exactly 5 times among label-1 rows (kept) — and in every label-0 row,
    /// which must not count; f4 repeats its smallest value 2.0 six times (dropped); f6 repeats 10.0 seven
    /// times but its smallest value −5 once (kept: MAF's code counts the smallest value, not the most
    /// common one, which SPEC's paraphrase would drop). Each row ends with an unnamed cell, which
    /// pandas' index_col=False ignores. The test file names a last "mass" column, which MAF drops.
    /// </summary>
    private static (string Train, string Test) Write(TempFolder folder)
    {
        var train = new StringBuilder("# label,f0,f1,f2,f3,f4,f5,f6\n");
        int k = 0;
        for (int i = 0; i < 200; i++)
        {
            int label = i % 4 == 3 ? 0 : 1;
            double f0 = label == 1 ? ((i * 7919 % 1000) / 8.0) - 50 : -9999;
            double f3 = 0.5, f4 = 2.0, f6 = -5;
            if (label == 1)
            {
                f3 = k < 5 ? 0.5 : ((k * 13 % 151) / 2.0) + 1;
                f4 = k < 6 ? 2.0 : ((k * 17 % 151) / 2.0) + 3;
                f6 = k == 0 ? -5 : k <= 7 ? 10.0 : ((k * 19 % 151) / 2.0) + 20;
                k++;
            }
            Line(train, label, f0, i % 3, (i * 104729 % 997) / 4.0, f3, f4, (i * 31337 % 1009) / 16.0, f6, 1000.0);
        }
        var test = new StringBuilder("# label,f0,f1,f2,f3,f4,f5,f6,mass\n");
        for (int j = 0; j < 60; j++)
        {
            Line(test, j % 2, (j * 1.5) - 20, j % 3, j * 0.25, (j * 0.75) + 1, j * 2.0, (j * 0.125) - 3, (j * 0.5) + 1, 1000.0 + j);
        }
        return (folder.WriteText(Path.Combine("hepmass", "1000_train.csv"), train.ToString()),
                folder.WriteText(Path.Combine("hepmass", "1000_test.csv"), test.ToString()));
    }

    private static void Line(StringBuilder text, params double[] values) =>
        text.AppendJoin(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');

    [Fact]
    public void DropsLabelZeroRows_DiscreteFeatures_AndTheTestFilesLastColumn()
    {
        using var folder = new TempFolder();
        Write(folder);
        var splits = HepmassData.Load(folder.Path);
        Assert.Equal(5, splits.Features);
        Assert.Equal((135, 15, 30), (splits.Train.Rows, splits.Validation.Rows, splits.Test.Rows));
        // The kept features are f0, f2, f3, f5, f6: check by value on the first training row (i = 0).
        Assert.Equal([-50, 0, 0.5, 0, -5], TableAssert.Unstandardised(splits.Train, splits.Standardizer!, 0), new Near(1e-9));
        // Last test row: j = 59, without f1, f4 and mass.
        Assert.Equal([68.5, 14.75, 45.25, 4.375, 30.5], TableAssert.Unstandardised(splits.Test, splits.Standardizer!, 29), new Near(1e-9));
    }

    [Fact]
    public void Standardises_WithTrainingMeanAndSampleStd()
    {
        using var folder = new TempFolder();
        Write(folder);
        var splits = HepmassData.Load(folder.Path);
        TableAssert.Standardised(ddof: 1, splits.Train, splits.Validation);
    }

    [Fact]
    public void MatchesMafCodeRunWithPandas()
    {
        // Values from MAF's hepmass.py run with pandas on this fixture before f6 was added; each column is
        // standardised on its own, so f0, f2, f3 and f5 are unchanged by it.
        using var folder = new TempFolder();
        Write(folder);
        var splits = HepmassData.Load(folder.Path);
        Assert.Equal([-1.6826953405003557, -1.6999833244599096, -1.6703029898549175, -1.6626327512897083], splits.Train.Row(0).ToArray()[..4], new Near(1e-12));
        Assert.Equal([1.5919228339325686, 0.8658187565885965, 1.147830067479303, -0.3521955880603181], splits.Validation.Row(14).ToArray()[..4], new Near(1e-12));
        Assert.Equal([1.5442672679844802, -1.494300820680206, 0.3314661262674058, -1.4243714488843646], splits.Test.Row(29).ToArray()[..4], new Near(1e-12));
    }

    [Fact]
    public void MismatchedFiles_AreNamed()
    {
        using var folder = new TempFolder();
        folder.WriteText(Path.Combine("hepmass", "1000_train.csv"), "# label,f0,f1\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"1,{i},{i * i}\n")));
        string test = folder.WriteText(Path.Combine("hepmass", "1000_test.csv"), "# label,f0,f1\n1,2,3\n");
        var error = Assert.Throws<DataFormatException>(() => HepmassData.Load(folder.Path));
        Assert.Equal(test, error.File);
        Assert.Contains("1 feature after", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallestValueCount_CountsTheSmallestValue_NotTheMostCommon()
    {
        var table = TempFolder.Table("t", new double[,] { { 3 }, { 1 }, { 3 }, { 2 }, { 3 }, { 1 } });
        Assert.Equal(2, HepmassData.SmallestValueCount(table, 0));
    }
}
