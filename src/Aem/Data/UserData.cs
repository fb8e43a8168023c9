using Aem.Runtime;

namespace Aem.Data;

/// <summary>
/// A user's own table (.npy, or text: CSV, semicolon- or whitespace-separated). When no separate
/// validation or test file is given, they are split off the main file: its rows are shuffled with
/// the request's seed (NumPy's <c>RandomState(seed).shuffle</c>), then test = the last ⌊0.1·N⌋ rows
/// and validation = the last ⌊0.1·rest⌋ rows of the rest. When standardising (the default), the
/// mean and population standard deviation come from the training split only and are applied to all
/// three; constant training columns are refused. A context (columns named in the request, or a file of
/// matching rows) goes to the end of each row, <c>[x | c]</c>, before the split, so that every row keeps its
/// own context, and is standardised like the data but with statistics of its own.
/// </summary>
internal static class UserData
{
    public static TableSplits Load(DataRequest request)
    {
        string path = request.File ?? throw new ArgumentException("No data file given.", nameof(request));
        var main = Read(path);
        var validationFile = request.ValidationFile is { } v ? Matching(Read(v), main) : null;
        var testFile = request.TestFile is { } t ? Matching(Read(t), main) : null;
        int contextFeatures = 0;
        if (request.ContextColumns is { } columns)
        {
            var context = ContextColumns.Resolve(columns, main.Columns, main.ColumnNames, main.Source);
            var order = ContextColumns.Order(main.Columns, context);
            main = main.SelectColumns(order);
            validationFile = validationFile?.SelectColumns(order);
            testFile = testFile?.SelectColumns(order);
            contextFeatures = context.Length;
        }
        else if (request.ContextFile is { } contextFile)
        {
            var context = Read(contextFile);
            main = main.Beside(context);
            contextFeatures = context.Columns;
        }

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

        return Standardized(trainTable, validationTable, testTable, request.Standardize, contextFeatures, "training split");
    }

    /// <summary>
    /// Splits an in-memory table for fitting: rows shuffled with <paramref name="seed"/> (as <see cref="Load"/>
    /// does), the last ⌊<paramref name="validationFraction"/>·N⌋ rows (at least one) for validation, the rest for
    /// training, no test rows; standardised on the training rows when asked.
    /// </summary>
    public static TableSplits Split(NumericTable main, int seed, bool standardize, double validationFraction, int contextFeatures = 0)
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
        return Standardized(trainTable, validationTable, testTable, standardize, contextFeatures, "training rows");
    }

    /// <summary>
    /// The splits, standardised on the training rows when asked: one fit over all columns, kept as the data's
    /// transform (the first columns) and the context's (the last <paramref name="contextFeatures"/>), so that
    /// log |det| counts the data's columns alone.
    /// </summary>
    private static TableSplits Standardized(NumericTable train, NumericTable validation, NumericTable test, bool standardize, int contextFeatures, string split)
    {
        if (!standardize) return new TableSplits(train, validation, test, null) { ContextFeatures = contextFeatures };
        var standardizer = Standardizer.Fit(train, train.Rows, ddof: 0, split);
        foreach (var table in new[] { train, validation, test })
        {
            standardizer.TransformInPlace(table);
        }
        int features = train.Columns - contextFeatures;
        return new TableSplits(train, validation, test, standardizer.SelectColumns([.. Enumerable.Range(0, features)]))
        {
            ContextFeatures = contextFeatures,
            ContextStandardizer = contextFeatures > 0 ? standardizer.SelectColumns([.. Enumerable.Range(features, contextFeatures)]) : null,
        };
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
