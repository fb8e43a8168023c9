using Aem.Runtime;

namespace Aem.Data;

/// <summary>
/// HEPMASS with the MAF preprocessing (SPEC §2.2), from <c>hepmass/1000_train.csv</c> and
/// <c>1000_test.csv</c>. Each has a header line; its first column is the class label. As pandas'
/// <c>read_csv(index_col=False)</c> does, the header fixes the column count and extra trailing cells
/// are ignored. Keep the rows labelled 1 and drop the label; drop the test file's last column (the
/// extra one MAF drops "because the data set is messed up"); standardise both with the training mean
/// and sample standard deviation (ddof 1); drop the features whose smallest training value occurs
/// more than 5 times (the discrete ones; D = 21 on the real files); validation = the last ⌊0.1·N⌋
/// training rows.
/// </summary>
/// <remarks>
/// The rule is MAF's code's, which the AEM authors reuse: it sorts a Counter of each feature's values by
/// key and takes the first entry, the count of the <em>smallest</em> value. SPEC §2.2 paraphrases it as
/// the most common value; the two differ for a feature whose minimum is unique but another value repeats,
/// which the code keeps.
/// </remarks>
internal static class HepmassData
{
    public const int MaxRepeats = 5;

    public static TableSplits Load(string? directory)
    {
        string trainPath = DataPaths.FindInFolder(directory, "hepmass", "1000_train.csv");
        string testPath = DataPaths.FindInFolder(directory, "hepmass", "1000_test.csv");
        return Preprocess(CsvFile.Read(trainPath, columnsFromHeader: true), CsvFile.Read(testPath, columnsFromHeader: true));
    }

    public static TableSplits Preprocess(NumericTable trainFile, NumericTable testFile)
    {
        var train = SignalFeatures(trainFile, dropLast: false);
        var test = SignalFeatures(testFile, dropLast: true);
        if (train.Columns != test.Columns)
        {
            throw new DataFormatException(testFile.Source,
                $"{Plural.Of(test.Columns, "feature")} after dropping the label and the last column, but {trainFile.Source} has {train.Columns} after dropping the label");
        }
        var sizes = TailSplit.Sizes(train.Rows);
        if (sizes.Validation < 1 || train.Rows - sizes.Validation < 2)
        {
            throw new DataFormatException(trainFile.Source, $"{Plural.Of(train.Rows, "row")} labelled 1: too few to split off a validation set (the last 10 %)");
        }
        var standardizer = Standardizer.Fit(train, train.Rows, ddof: 1, "training rows labelled 1");
        standardizer.TransformInPlace(train);
        standardizer.TransformInPlace(test);

        var continuous = Enumerable.Range(0, train.Columns).Where(c => SmallestValueCount(train, c) <= MaxRepeats).ToArray();
        if (continuous.Length == 0)
        {
            throw new DataFormatException(trainFile.Source, $"every feature repeats its smallest value more than {MaxRepeats} times: no continuous feature is left");
        }
        train = train.SelectColumns(continuous);
        test = test.SelectColumns(continuous);
        int validation = (int)(train.Rows * 0.1);
        return new TableSplits(train.Slice(0, train.Rows - validation), train.Slice(train.Rows - validation, validation), test,
            standardizer.SelectColumns(continuous));
    }

    /// <summary>The rows labelled 1, without the label (and without the last column if <paramref name="dropLast"/>).</summary>
    private static NumericTable SignalFeatures(NumericTable file, bool dropLast)
    {
        int last = dropLast ? file.Columns - 1 : file.Columns;
        if (last < 2)
        {
            throw new DataFormatException(file.Source, $"{Plural.Of(file.Columns, "column")}: expected the label and the features");
        }
        var rows = Enumerable.Range(0, file.Rows).Where(r => file[r, 0] == 1.0).ToArray();
        if (rows.Length == 0)
        {
            throw new DataFormatException(file.Source, null, 1, "no row is labelled 1 (the label is the first column)");
        }
        return file.SelectRows(rows).SelectColumns(Enumerable.Range(1, last - 1).ToArray());
    }

    /// <summary>How often the smallest value of a column occurs.</summary>
    internal static int SmallestValueCount(NumericTable table, int column)
    {
        double smallest = double.PositiveInfinity;
        int count = 0;
        for (int r = 0; r < table.Rows; r++)
        {
            double value = table[r, column];
            if (value < smallest)
            {
                smallest = value;
                count = 1;
            }
            else if (value == smallest)
            {
                count++;
            }
        }
        return count;
    }
}
