using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// A dense table of finite float64 values, row-major, as read from a file: the form in which
/// preprocessing runs before the result becomes a float32 tensor.
/// </summary>
public sealed class NumericTable
{
    /// <summary>Wraps <paramref name="values"/> (not copied) as a <c>[rows, columns]</c> table.</summary>
    /// <param name="source">The file the values came from, used in error messages.</param>
    /// <param name="rows">N, the number of rows (0 allowed).</param>
    /// <param name="columns">D, values per row (at least 1).</param>
    /// <param name="values">Row-major values, <c>rows × columns</c> of them; the table keeps this array.</param>
    /// <param name="columnNames">One name per column, or null.</param>
    /// <exception cref="ArgumentException">The values do not fill the table, or the names do not match the columns.</exception>
    public NumericTable(string source, int rows, int columns, double[] values, IReadOnlyList<string>? columnNames = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0 || columns < 1 || values.LongLength != (long)rows * columns)
        {
            throw new ArgumentException($"{values.LongLength} values do not fill a [{rows}, {columns}] table.", nameof(values));
        }
        if (columnNames is not null && columnNames.Count != columns)
        {
            throw new ArgumentException($"{columnNames.Count} names for {columns} columns.", nameof(columnNames));
        }
        Source = source;
        Rows = rows;
        Columns = columns;
        Values = values;
        ColumnNames = columnNames;
    }

    /// <summary>The file the values came from, for error messages.</summary>
    public string Source { get; }

    /// <summary>N, the number of rows.</summary>
    public int Rows { get; }

    /// <summary>D, the number of values per row.</summary>
    public int Columns { get; }

    /// <summary>Row-major values: row r, column c is at <c>r * Columns + c</c>.</summary>
    public double[] Values { get; }

    /// <summary>Header names, when the file had them.</summary>
    public IReadOnlyList<string>? ColumnNames { get; }

    /// <summary>The value at 0-based <paramref name="row"/> and <paramref name="column"/>.</summary>
    /// <param name="row">0-based row.</param>
    /// <param name="column">0-based column.</param>
    public double this[int row, int column] => Values[((long)row * Columns) + column];

    /// <summary>The <see cref="Columns"/> values of 0-based <paramref name="row"/>, without copying.</summary>
    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * Columns, Columns);

    /// <summary>The values as a <c>[Rows, Columns]</c> array (a copy).</summary>
    public double[,] ToArray()
    {
        var array = new double[Rows, Columns];
        Buffer.BlockCopy(Values, 0, array, 0, Values.Length * sizeof(double));
        return array;
    }

    /// <summary>"column 3 ('Voltage')" style label of a 0-based column, for messages.</summary>
    /// <param name="column">0-based column.</param>
    public string Describe(int column) =>
        ColumnNames is { } names && names[column].Length > 0 ? $"column {column + 1} ('{names[column]}')" : $"column {column + 1}";

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    public NumericTable Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Rows);
        var values = Values.AsSpan(start * Columns, count * Columns).ToArray();
        return new NumericTable(Source, count, Columns, values, ColumnNames);
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public NumericTable SelectRows(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var values = new double[(long)indices.Count * Columns];
        for (int i = 0; i < indices.Count; i++)
        {
            Row(indices[i]).CopyTo(values.AsSpan(i * Columns, Columns));
        }
        return new NumericTable(Source, indices.Count, Columns, values, ColumnNames);
    }

    /// <summary>Keeps the 0-based <paramref name="columns"/>, in that order.</summary>
    public NumericTable SelectColumns(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        int width = columns.Count;
        var values = new double[(long)Rows * width];
        for (int r = 0; r < Rows; r++)
        {
            var source = Row(r);
            var target = values.AsSpan(r * width, width);
            for (int j = 0; j < width; j++)
            {
                target[j] = source[columns[j]];
            }
        }
        var names = ColumnNames is null ? null : columns.Select(c => ColumnNames[c]).ToArray();
        return new NumericTable(Source, Rows, width, values, names);
    }

    /// <summary>All columns but the 0-based <paramref name="column"/>.</summary>
    public NumericTable DropColumn(int column) =>
        SelectColumns(Enumerable.Range(0, Columns).Where(c => c != column).ToArray());

    /// <summary>
    /// This table's columns, then <paramref name="right"/>'s, row by row (a data file and its context file).
    /// Throws <see cref="DataFormatException"/> naming <paramref name="right"/>'s file unless the row counts match.
    /// </summary>
    internal NumericTable Beside(NumericTable right)
    {
        ArgumentNullException.ThrowIfNull(right);
        if (right.Rows != Rows)
        {
            throw new DataFormatException(right.Source, $"{right.Rows:N0} rows, but {Source} has {Rows:N0}; the context file needs one row for each data row");
        }
        int width = Columns + right.Columns;
        var values = new double[(long)Rows * width];
        for (int r = 0; r < Rows; r++)
        {
            Row(r).CopyTo(values.AsSpan(r * width, Columns));
            right.Row(r).CopyTo(values.AsSpan((r * width) + Columns, right.Columns));
        }
        var names = ColumnNames is { } left && right.ColumnNames is { } other ? [.. left, .. other] : (IReadOnlyList<string>?)null;
        return new NumericTable(Source, Rows, width, values, names);
    }

    /// <summary>Stacks tables with the same columns, top to bottom.</summary>
    /// <param name="first">The upper rows; its source and column names are kept.</param>
    /// <param name="second">The lower rows.</param>
    /// <exception cref="ArgumentException">The tables have different column counts.</exception>
    public static NumericTable Concatenate(NumericTable first, NumericTable second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Columns != second.Columns)
        {
            throw new ArgumentException($"{first.Columns} and {second.Columns} columns cannot be stacked.", nameof(second));
        }
        var values = new double[first.Values.LongLength + second.Values.LongLength];
        first.Values.CopyTo(values, 0);
        second.Values.CopyTo(values, first.Values.Length);
        return new NumericTable(first.Source, first.Rows + second.Rows, first.Columns, values, first.ColumnNames);
    }

    /// <summary>The values as a float32 tensor <c>[Rows, Columns]</c>; values beyond float32's range are refused, naming the column.</summary>
    public Tensor ToTensor()
    {
        var values = new float[Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = Values[i];
            if (Math.Abs(v) > float.MaxValue)
            {
                // No row: by now rows may have been shuffled, so an index would not point into the file.
                throw new DataFormatException(Source, null, (i % Columns) + 1,
                    $"the value {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is beyond the float32 range (±3.4e38); rescale the column");
            }
            values[i] = (float)v;
        }
        return tensor(values, [Rows, Columns]);
    }
}
