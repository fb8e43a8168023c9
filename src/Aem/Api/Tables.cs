using Aem.Data;

namespace Aem;

/// <summary>Plain arrays as <see cref="NumericTable"/>s, refusing non-finite values by row and column.</summary>
internal static class Tables
{
    public static NumericTable From(double[,] rows, string name, IReadOnlyList<string>? columnNames)
    {
        int n = rows.GetLength(0), d = rows.GetLength(1);
        var values = new double[(long)n * d];
        Buffer.BlockCopy(rows, 0, values, 0, values.Length * sizeof(double));
        return Checked(new NumericTable(name, n, d, values, columnNames));
    }

    public static NumericTable From(float[,] rows, string name, IReadOnlyList<string>? columnNames)
    {
        int n = rows.GetLength(0), d = rows.GetLength(1);
        var values = new double[(long)n * d];
        int i = 0;
        foreach (float v in rows) values[i++] = v;
        return Checked(new NumericTable(name, n, d, values, columnNames));
    }

    public static NumericTable From(IReadOnlyList<double[]> rows, string name, IReadOnlyList<string>? columnNames)
    {
        if (rows.Count == 0) throw new ArgumentException("There are no rows.", nameof(rows));
        int d = rows[0].Length;
        var values = new double[(long)rows.Count * d];
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != d) throw new ArgumentException($"Row {r} has {rows[r].Length} values, but row 0 has {d}.", nameof(rows));
            rows[r].CopyTo(values, (long)r * d);
        }
        return Checked(new NumericTable(name, rows.Count, d, values, columnNames));
    }

    private static NumericTable Checked(NumericTable table)
    {
        if (table.Rows == 0 || table.Columns == 0) throw new ArgumentException($"The {table.Source} are empty ([{table.Rows}, {table.Columns}]).");
        var values = table.Values;
        for (long i = 0; i < values.LongLength; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"The {table.Source} hold a non-finite value ({values[i]}) at row {i / table.Columns}, column {i % table.Columns} (0-based).");
            }
        }
        return table;
    }
}
