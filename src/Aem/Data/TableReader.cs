namespace Aem.Data;

/// <summary>
/// Reads a data file a block of rows at a time, in bounded memory: <c>.npy</c> (float32/64 or int32/64,
/// C order), or text (CSV, semicolon- or whitespace-separated, header optional), as
/// <see cref="CsvFile"/> and <see cref="NpyFile"/> read whole files. Bad input raises
/// <see cref="DataFormatException"/> naming the file, the row (for text: the line) and the column.
/// </summary>
/// <example>
/// <code>
/// using var reader = TableReader.Open("big.csv");
/// while (reader.Read(4096) is { } block) { /* block.Rows rows of reader.Columns values */ }
/// </code>
/// </example>
public sealed class TableReader : IDisposable
{
    private readonly CsvFile.CsvRows? text;
    private readonly NpyFile.NpyRows? npy;
    private readonly Stream stream;

    private TableReader(string path, Stream stream, CsvFile.CsvRows? text, NpyFile.NpyRows? npy)
    {
        Source = path;
        this.stream = stream;
        this.text = text;
        this.npy = npy;
    }

    /// <summary>The file being read, as named, for error messages.</summary>
    public string Source { get; }

    /// <summary>Values per row.</summary>
    public int Columns => text?.Columns ?? npy!.Columns;

    /// <summary>The header's names (text files with a header naming every column), else null.</summary>
    public IReadOnlyList<string>? ColumnNames => text?.ColumnNames;

    /// <summary>Rows in the file when known in advance (<c>.npy</c>), else null.</summary>
    public long? TotalRows => npy?.Rows;

    /// <summary>Rows returned so far.</summary>
    public long RowsRead { get; private set; }

    /// <summary>The share of the file's bytes read so far, for progress.</summary>
    public double FractionRead => stream.Length > 0 ? Math.Min(1, (double)stream.Position / stream.Length) : 1;

    /// <summary>Opens <paramref name="path"/>: <c>.npy</c> by its extension, anything else as text.</summary>
    public static TableReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var stream = TextFiles.OpenRead(path);
            try
            {
                return new TableReader(path, stream, null, new NpyFile.NpyRows(stream, path));
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        var reader = TextFiles.OpenText(path);
        try
        {
            var rows = new CsvFile.CsvRows(reader, path, columnsFromHeader: false, ownsReader: true);
            rows.PeekColumns();
            return new TableReader(path, reader.BaseStream, rows, null);
        }
        catch (IOException e)
        {
            reader.Dispose();
            throw TextFiles.ReadFailed(path, e);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The whole of <paramref name="path"/> as one table (<see cref="Open"/>'s formats), for files small enough to hold.</summary>
    public static NumericTable ReadAll(string path)
    {
        using var reader = Open(path);
        var blocks = new List<NumericTable>();
        while (reader.Read(1 << 16) is { } block) blocks.Add(block);
        if (blocks.Count == 0) throw new DataFormatException(path, "the file holds no rows");
        var values = blocks.SelectMany(b => b.Values).ToArray();
        return new NumericTable(path, blocks.Sum(b => b.Rows), reader.Columns, values, reader.ColumnNames);
    }

    /// <summary>The next at most <paramref name="maxRows"/> rows, or null at the end of the file.</summary>
    public NumericTable? Read(int maxRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        try
        {
            NumericTable? block;
            if (text is not null)
            {
                var values = new List<double>(Math.Min(maxRows, 1 << 16) * Math.Max(1, text.Columns));
                int rows = text.Read(values, maxRows);
                block = rows == 0 ? null : new NumericTable(Source, rows, text.Columns, values.ToArray(), text.ColumnNames);
            }
            else
            {
                block = npy!.Read(maxRows);
            }
            if (block is not null) RowsRead += block.Rows;
            return block;
        }
        catch (IOException e)
        {
            throw TextFiles.ReadFailed(Source, e);
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        text?.Dispose();
        stream.Dispose();
    }
}
