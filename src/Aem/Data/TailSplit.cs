namespace Aem.Data;

/// <summary>
/// The MAF split rule: test = the last ⌊0.1·N⌋ rows, validation = the last ⌊0.1·rest⌋ rows of the
/// rest, training = what remains (rows keep their order: training, validation, test).
/// </summary>
internal static class TailSplit
{
    /// <summary>Split sizes for <paramref name="rows"/> rows; ⌊0.1·n⌋ is computed as Python's <c>int(0.1*n)</c>.</summary>
    public static (int Train, int Validation, int Test) Sizes(int rows)
    {
        int test = (int)(0.1 * rows);
        int validation = (int)(0.1 * (rows - test));
        return (rows - test - validation, validation, test);
    }

    /// <summary>Refuses a table too small for every split to have rows (at least 11, and 2 for training).</summary>
    public static (int Train, int Validation, int Test) Check(NumericTable table, string what = "rows")
    {
        var sizes = Sizes(table.Rows);
        if (sizes.Test < 1 || sizes.Validation < 1 || sizes.Train < 2)
        {
            throw new DataFormatException(table.Source,
                $"{table.Rows} {what} are too few to split into training, validation and test sets (the last 10 % for test, 10 % of the rest for validation: at least 11 rows)");
        }
        return sizes;
    }

    public static (NumericTable Train, NumericTable Validation, NumericTable Test) Apply(NumericTable table, (int Train, int Validation, int Test) sizes) =>
        (table.Slice(0, sizes.Train), table.Slice(sizes.Train, sizes.Validation), table.Slice(sizes.Train + sizes.Validation, sizes.Test));
}
