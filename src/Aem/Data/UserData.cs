using Aem.Runtime;

namespace Aem.Data;

/// <summary>
/// A user's own table (.npy, or text: CSV, semicolon- or whitespace-separated). When no separate
/// validation or test file is given, they are split off the main file: its rows are shuffled with
/// the request's seed (NumPy's <c>RandomState(seed).shuffle</c>), then test = the last ⌊0.1·N⌋ rows
/// and validation = the last ⌊0.1·rest⌋ rows of the rest. When standardising (the default), the
/// mean and population standard deviation come from the training split only and are applied to all
/// three; constant training columns are refused.
/// </summary>
internal static class UserData
{
    public static TableSplits Load(DataRequest request)
    {
        string path = request.File ?? throw new ArgumentException("No data file given.", nameof(request));
        var main = Read(path);
        var validationFile = request.ValidationFile is { } v ? Matching(Read(v), main) : null;
        var testFile = request.TestFile is { } t ? Matching(Read(t), main) : null;

        int test = testFile is null ? (int)(0.1 * main.Rows) : 0;
        int validation = validationFile is null ? (int)(0.1 * (main.Rows - test)) : 0;
        int train = main.Rows - test - validation;
        if (train < 2 || (testFile is null && test < 1) || (validationFile is null && validation < 1))
        {
            throw new DataFormatException(path,
                $"{Plural.Of(main.Rows, "row")}: too few to split off {Described(validationFile is null, testFile is null)} (at least {MinimumRows(validationFile is null, testFile is null)} rows are needed)");
        }
        var shuffled = main.SelectRows(new NumpyRandomState(unchecked((uint)request.Seed)).Permutation(main.Rows));
        var trainTable = shuffled.Slice(0, train);
        var validationTable = validationFile ?? shuffled.Slice(train, validation);
        var testTable = testFile ?? shuffled.Slice(train + validation, test);

        if (!request.Standardize)
        {
            return new TableSplits(trainTable, validationTable, testTable, null);
        }
        var standardizer = Standardizer.Fit(trainTable, trainTable.Rows, ddof: 0, "training split");
        foreach (var table in new[] { trainTable, validationTable, testTable })
        {
            standardizer.TransformInPlace(table);
        }
        return new TableSplits(trainTable, validationTable, testTable, standardizer);
    }

    /// <summary>
    /// Splits an in-memory table for fitting: rows shuffled with <paramref name="seed"/> (as <see cref="Load"/>
    /// does), the last ⌊<paramref name="validationFraction"/>·N⌋ rows (at least one) for validation, the rest for
    /// training, no test rows; standardised on the training rows when asked.
    /// </summary>
    public static TableSplits Split(NumericTable main, int seed, bool standardize, double validationFraction)
    {
        int validation = Math.Max(1, (int)(validationFraction * main.Rows));
        int train = main.Rows - validation;
        if (train < 2)
        {
            throw new DataFormatException(main.Source, $"{Plural.Of(main.Rows, "row")}: too few to hold out validation rows (at least 3 are needed)");
        }
        var shuffled = main.SelectRows(new NumpyRandomState(unchecked((uint)seed)).Permutation(main.Rows));
        var trainTable = shuffled.Slice(0, train);
        var validationTable = shuffled.Slice(train, validation);
        var testTable = shuffled.Slice(main.Rows, 0);
        if (!standardize) return new TableSplits(trainTable, validationTable, testTable, null);
        var standardizer = Standardizer.Fit(trainTable, trainTable.Rows, ddof: 0, "training rows");
        foreach (var table in new[] { trainTable, validationTable })
        {
            standardizer.TransformInPlace(table);
        }
        return new TableSplits(trainTable, validationTable, testTable, standardizer);
    }

    /// <summary>Reads .npy by its extension, anything else as delimited text.</summary>
    public static NumericTable Read(string path) =>
        path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? NpyFile.Read(path) : CsvFile.Read(path);

    private static NumericTable Matching(NumericTable table, NumericTable main)
    {
        if (table.Columns != main.Columns)
        {
            throw new DataFormatException(table.Source, $"{Plural.Of(table.Columns, "column")}, but {main.Source} has {main.Columns}");
        }
        // A copy, so that standardising in place never touches a table read once and shared.
        return table.Slice(0, table.Rows);
    }

    private static string Described(bool validation, bool test) => (validation, test) switch
    {
        (true, true) => "validation and test sets",
        (true, false) => "a validation set",
        (false, true) => "a test set",
        _ => "a training set",
    };

    private static int MinimumRows(bool validation, bool test)
    {
        for (int n = 2; ; n++)
        {
            int t = test ? (int)(0.1 * n) : 0;
            int v = validation ? (int)(0.1 * (n - t)) : 0;
            if (n - t - v >= 2 && (!test || t >= 1) && (!validation || v >= 1))
            {
                return n;
            }
        }
    }
}
