using Aem.Data;

namespace Aem.Tests.Data;

public class TableReaderTests
{
    private static double[,] Rows(int n, int d, int seed)
    {
        var random = new Random(seed);
        var rows = new double[n, d];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < d; c++) rows[r, c] = Math.Round((random.NextDouble() * 200) - 100, 6);
        }
        return rows;
    }

    [Theory]
    [InlineData("rows.csv", ",", "a,b,c")]
    [InlineData("rows.txt", " ", null)]
    [InlineData("rows.npy", null, null)]
    public void ReadingInBlocks_GivesTheWholeFileInOrder(string name, string? separator, string? header)
    {
        using var folder = new TempFolder();
        var rows = Rows(1000, 3, seed: 1);
        string path = separator is null ? folder.WriteNpy(name, rows) : folder.WriteTable(name, rows, separator, header);
        var whole = separator is null ? NpyFile.Read(path) : CsvFile.Read(path);
        using var reader = TableReader.Open(path);
        Assert.Equal(3, reader.Columns);
        Assert.Equal(header?.Split(','), reader.ColumnNames);
        var values = new List<double>();
        var sizes = new List<int>();
        while (reader.Read(333) is { } block)
        {
            values.AddRange(block.Values);
            sizes.Add(block.Rows);
        }
        Assert.Equal([333, 333, 333, 1], sizes);
        Assert.Equal(whole.Values, values);
        Assert.Equal(1000, reader.RowsRead);
        Assert.Equal(1.0, reader.FractionRead);
    }

    [Fact]
    public void ABadRowDeepInTheFile_IsNamedByItsLineAndColumn()
    {
        using var folder = new TempFolder();
        var lines = new List<string> { "a,b" };
        for (int i = 0; i < 5000; i++) lines.Add($"{i},{i * 2}");
        lines[4321] = "1.5,oops";
        string path = folder.WriteText("bad.csv", string.Join("\n", lines));
        using var reader = TableReader.Open(path);
        var error = Assert.Throws<DataFormatException>(() =>
        {
            while (reader.Read(1000) is not null)
            {
            }
        });
        Assert.Equal((4322, 2), (error.Row, error.Column));
        Assert.Contains("'oops' is not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonFiniteValueInAnNpyBlock_IsNamedByItsRow()
    {
        using var folder = new TempFolder();
        var rows = Rows(700, 2, seed: 2);
        rows[650, 1] = double.PositiveInfinity;
        string path = folder.WriteNpy("inf.npy", rows);
        using var reader = TableReader.Open(path);
        Assert.NotNull(reader.Read(500));
        var error = Assert.Throws<DataFormatException>(() => reader.Read(500));
        Assert.Equal((651, 2), (error.Row, error.Column));
    }

    [Fact]
    public void NpyWriter_WritesBlocksThatReadBackAsOneArray()
    {
        using var folder = new TempFolder();
        string path = folder.File("out.npy");
        var rows = Rows(10, 4, seed: 3);
        var flat = TempFolder.Table("x", rows).Values;
        using (var writer = NpyWriter.Create(path, 4))
        {
            writer.Append(flat.AsSpan(0, 12));
            writer.Append(flat.AsSpan(12));
            writer.Complete();
        }
        var back = NpyFile.Read(path);
        Assert.Equal((10, 4), (back.Rows, back.Columns));
        Assert.Equal(flat, back.Values);
    }
}
