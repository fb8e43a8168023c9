using System.Globalization;

namespace Aem.Data;

/// <summary>
/// The columns of a table that hold a conditional model's context, as a user names them: 0-based indices
/// ("0", "3") or names from the file's header ("temperature"). Resolving them against a table gives its
/// rows in the order the model reads them, <c>[x | c]</c>: the other columns in their order, then the
/// context columns in the order named.
/// </summary>
internal static class ContextColumns
{
    /// <summary>
    /// The 0-based indices <paramref name="names"/> refer to in a table of <paramref name="columns"/> columns
    /// with header <paramref name="header"/> (null: none). Throws <see cref="DataFormatException"/> naming
    /// <paramref name="source"/> and the column for an unknown name, an index out of range, a repeat, or
    /// a choice that leaves no data column.
    /// </summary>
    public static int[] Resolve(IReadOnlyList<string> names, int columns, IReadOnlyList<string>? header, string source)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0) throw new DataFormatException(source, "no context columns are named");
        var indices = new int[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i].Trim();
            int index = header is not null ? IndexOf(header, name) : -1;
            if (index < 0 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)) index = parsed;
            if (index < 0 || index >= columns)
            {
                string known = header is null
                    ? $"the file has {columns} columns (0-based indices 0–{columns - 1}) and no header"
                    : $"the file has {columns} columns: {string.Join(", ", header)} (or 0-based indices 0–{columns - 1})";
                throw new DataFormatException(source, $"context column '{name}' is not in the file; {known}");
            }
            if (Array.IndexOf(indices, index, 0, i) >= 0) throw new DataFormatException(source, null, index + 1, $"context column '{name}' is named twice");
            indices[i] = index;
        }
        if (indices.Length >= columns)
        {
            throw new DataFormatException(source, $"all {columns} columns are named as context, which leaves no data to model");
        }
        return indices;
    }

    /// <summary>The column order <c>[x | c]</c>: every column not in <paramref name="context"/>, in order, then <paramref name="context"/>.</summary>
    public static int[] Order(int columns, IReadOnlyList<int> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return [.. Enumerable.Range(0, columns).Where(c => !context.Contains(c)), .. context];
    }

    /// <summary><paramref name="table"/>'s columns reordered to <c>[x | c]</c> with the context at <paramref name="names"/>.</summary>
    public static NumericTable Pack(NumericTable table, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(table);
        var context = Resolve(names, table.Columns, table.ColumnNames, table.Source);
        return table.SelectColumns(Order(table.Columns, context));
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (int c = 0; c < header.Count; c++)
        {
            if (string.Equals(header[c], name, StringComparison.Ordinal)) return c;
        }
        return -1;
    }
}
