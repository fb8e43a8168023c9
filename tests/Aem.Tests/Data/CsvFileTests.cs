using Aem.Data;

namespace Aem.Tests.Data;

public class CsvFileTests
{
    [Fact]
    public void Read_DetectsHeaderFromNonNumericCells()
    {
        using var folder = new TempFolder();
        var withHeader = CsvFile.Read(folder.WriteText("h.csv", "x,y\n1,2\n3,4\n"));
        var without = CsvFile.Read(folder.WriteText("n.csv", "1,2\n3,4\n"));
        Assert.Equal(["x", "y"], withHeader.ColumnNames!);
        Assert.Equal([1.0, 2, 3, 4], withHeader.Values);
        Assert.Null(without.ColumnNames);
        Assert.Equal([1.0, 2, 3, 4], without.Values);
    }

    [Theory]
    [InlineData("1;2.5\n-3;4e-2\n")]
    [InlineData("1 2.5\n  -3\t\t4e-2  \n")]
    [InlineData("\"1\", 2.5\n-3 ,4E-2\n\n")]
    [InlineData("a b\n1 2.5\n\n-3 4e-2")]
    public void Read_AcceptsSeparatorsAndInvariantNumbers(string text)
    {
        using var folder = new TempFolder();
        var table = CsvFile.Read(folder.WriteText("t.txt", text));
        Assert.Equal((2, 2), (table.Rows, table.Columns));
        Assert.Equal([1.0, 2.5, -3, 0.04], table.Values);
    }

    [Fact]
    public void Read_WhitespaceDataUnderACommaHeader()
    {
        // The layout of UCI's ethylene_CO.txt.
        using var folder = new TempFolder();
        var table = CsvFile.Read(folder.WriteText("gas.txt",
            "Time (seconds), CO conc (ppm), Ethylene conc (ppm), sensor readings (16 channels)\n0.00    0.00  1.5 -50.85\n0.01 0.00 1.5   -49.40\n"));
        Assert.Equal((2, 4), (table.Rows, table.Columns));
        Assert.Equal(-49.40, table[1, 3]);
    }

    [Fact]
    public void Read_ColumnsFromHeaderIgnoresTrailingCells()
    {
        // pandas' read_csv(index_col=False): the header fixes the width, extra trailing cells are dropped.
        using var folder = new TempFolder();
        var table = CsvFile.Read(folder.WriteText("p.csv", "# label,f0\n1,2,999\n0,5,\n"), columnsFromHeader: true);
        Assert.Equal((2, 2), (table.Rows, table.Columns));
        Assert.Equal([1.0, 2, 0, 5], table.Values);
    }

    [Fact]
    public void Read_RowNumbersAreFileLines()
    {
        using var folder = new TempFolder();
        string path = folder.WriteText("r.csv", "a,b\n\n1,2\n\n3,x\n");
        var error = Assert.Throws<DataFormatException>(() => CsvFile.Read(path));
        Assert.Equal((5, 2), (error.Row, error.Column));
    }
}
