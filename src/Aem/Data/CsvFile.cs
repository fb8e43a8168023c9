using System.Globalization;

namespace Aem.Data;

/// <summary>
/// Reads a numeric text table: semicolon-, comma- or whitespace-separated (judged from the second
/// non-blank line, so a comma-separated header may sit above whitespace-separated data), invariant
/// culture ('.' decimals), with an optional header line (a first line with any non-numeric cell).
/// Blank lines are skipped. Every value must be finite and every row equally long.
/// </summary>
public static class CsvFile
{
    /// <summary>Reads <paramref name="path"/> into a float64 table; throws <see cref="DataFormatException"/> on bad input.</summary>
    public static NumericTable Read(string path) => Read(path, columnsFromHeader: false);

    /// <param name="path">The file.</param>
    /// <param name="columnsFromHeader">
    /// Take the column count from the header and ignore extra trailing cells, as pandas'
    /// <c>read_csv(index_col=False)</c> does (the HEPMASS files rely on it).
    /// </param>
    internal static NumericTable Read(string path, bool columnsFromHeader)
    {
        using var reader = TextFiles.OpenText(path);
        try
        {
            return Read(reader, path, columnsFromHeader);
        }
        catch (IOException e)
        {
            throw TextFiles.ReadFailed(path, e);
        }
    }

    private static NumericTable Read(StreamReader reader, string path, bool columnsFromHeader)
    {
        using var rows = new CsvRows(reader, path, columnsFromHeader, ownsReader: false);
        var values = new List<double>(capacity: 1 << 16);
        int count = rows.Read(values, int.MaxValue);
        return new NumericTable(path, count, rows.Columns, values.ToArray(), rows.ColumnNames);
    }

    /// <summary>
    /// The rows of a text table, read a block at a time: the header and separator are judged from the
    /// first two non-blank lines, the column count from the first data row (or the header).
    /// </summary>
    internal sealed class CsvRows : IDisposable
    {
        private readonly StreamReader reader;
        private readonly string path;
        private readonly bool columnsFromHeader;
        private readonly bool ownsReader;
        private readonly Separator separator;
        private readonly Queue<(string Text, int Line)> queued = new();
        private readonly string[]? header;
        private int columnsLine;
        private int line;

        public CsvRows(StreamReader reader, string path, bool columnsFromHeader, bool ownsReader)
        {
            this.reader = reader;
            this.path = path;
            this.columnsFromHeader = columnsFromHeader;
            this.ownsReader = ownsReader;
            string? first = NextLine(reader, out int firstLine, 0);
            if (first is null)
            {
                throw new DataFormatException(path, "the file is empty");
            }
            string? second = NextLine(reader, out int secondLine, firstLine);
            separator = Separator.Detect(second ?? first);
            // Lines already read ahead: the first two non-blank ones.
            if (AllNumeric(first, separator))
            {
                queued.Enqueue((first, firstLine));
            }
            else
            {
                header = SplitHeader(first, separator);
                if (second is null)
                {
                    throw new DataFormatException(path, "the file has a header line but no data rows");
                }
            }
            if (second is not null)
            {
                queued.Enqueue((second, secondLine));
            }
            Columns = -1;
            if (columnsFromHeader)
            {
                if (header is null)
                {
                    throw new DataFormatException(path, firstLine, null, "expected a header line naming the columns");
                }
                Columns = header.Length;
                columnsLine = firstLine;
            }
            line = secondLine;
        }

        /// <summary>Values per row; -1 until the first data row is read (or always known from a header).</summary>
        public int Columns { get; private set; }

        /// <summary>The header's names, when it names every column.</summary>
        public IReadOnlyList<string>? ColumnNames => header is not null && header.Length == Columns ? header : null;

        /// <summary>The 1-based line number of the last row read.</summary>
        public int LastLine { get; private set; }

        /// <summary>Appends up to <paramref name="maxRows"/> rows to <paramref name="values"/>; returns how many (0 at the end).</summary>
        public int Read(List<double> values, int maxRows)
        {
            int rows = 0;
            while (rows < maxRows && Next() is { } text)
            {
                int count = ParseRow(path, text.Line, text.Text, separator, values, Columns);
                if (Columns < 0)
                {
                    Columns = count;
                    columnsLine = text.Line;
                }
                else if (count < Columns || (count > Columns && !columnsFromHeader))
                {
                    int column = Math.Min(count, Columns) + 1;
                    string like = columnsFromHeader ? "as the header names" : $"as row {columnsLine} has";
                    throw new DataFormatException(path, text.Line, column, $"{count} values, expected {Columns} {like}");
                }
                LastLine = text.Line;
                rows++;
            }
            return rows;
        }

        /// <summary>Reads ahead to the first data row so that <see cref="Columns"/> is known.</summary>
        public void PeekColumns()
        {
            if (Columns >= 0 || Next() is not { } text) return;
            var scratch = new List<double>();
            Columns = ParseRow(path, text.Line, text.Text, separator, scratch, -1);
            columnsLine = text.Line;
            var requeue = new Queue<(string, int)>([text, .. queued]);
            queued.Clear();
            foreach (var item in requeue) queued.Enqueue(item);
        }

        private (string Text, int Line)? Next() => CsvFile.Next(reader, queued, ref line);

        public void Dispose()
        {
            if (ownsReader) reader.Dispose();
        }
    }

    private static int ParseRow(string path, int line, string text, Separator separator, List<double> values, int limit)
    {
        int count = 0;
        var cells = separator.Cells(text);
        while (cells.Next(out var cell))
        {
            count++;
            if (limit >= 0 && count > limit)
            {
                continue;
            }
            values.Add(ParseCell(path, line, count, cell));
        }
        return count;
    }

    internal static double ParseCell(string path, int line, int column, ReadOnlySpan<char> cell)
    {
        cell = Unquote(cell.Trim());
        if (cell.IsEmpty)
        {
            throw new DataFormatException(path, line, column, "empty cell");
        }
        if (!DecimalParser.TryParse(cell, out double value)
            && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            if (cell.TrimStart("+-").Equals("inf", StringComparison.OrdinalIgnoreCase))
            {
                throw new DataFormatException(path, line, column, $"'{cell}' is not a finite number");
            }
            string hint = cell.Contains(',') ? " (use '.' for decimals)" : "";
            throw new DataFormatException(path, line, column, $"'{Shorten(cell)}' is not a number{hint}");
        }
        if (!double.IsFinite(value))
        {
            throw new DataFormatException(path, line, column, $"'{Shorten(cell)}' is not a finite number");
        }
        return value;
    }

    private static bool AllNumeric(string line, Separator separator)
    {
        var cells = separator.Cells(line);
        while (cells.Next(out var cell))
        {
            if (!double.TryParse(Unquote(cell.Trim()), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }
        }
        return true;
    }

    private static string[] SplitHeader(string line, Separator separator)
    {
        var names = new List<string>();
        var cells = separator.Cells(line);
        while (cells.Next(out var cell))
        {
            names.Add(Unquote(cell.Trim()).ToString());
        }
        return names.ToArray();
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> cell) =>
        cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Trim() : cell;

    private static string Shorten(ReadOnlySpan<char> cell) => cell.Length <= 40 ? cell.ToString() : $"{cell[..37]}...";

    /// <summary>The next data line: a queued one, else the next non-blank line of the file.</summary>
    private static (string Text, int Line)? Next(StreamReader reader, Queue<(string Text, int Line)> queued, ref int line)
    {
        if (queued.TryDequeue(out var next))
        {
            return next;
        }
        string? text = NextLine(reader, out line, line);
        return text is null ? null : (text, line);
    }

    /// <summary>The next non-blank line after line <paramref name="previous"/>, and its 1-based number.</summary>
    private static string? NextLine(StreamReader reader, out int number, int previous)
    {
        number = previous;
        while (true)
        {
            string? line = reader.ReadLine();
            number++;
            if (line is null || !string.IsNullOrWhiteSpace(line))
            {
                return line;
            }
        }
    }
}
