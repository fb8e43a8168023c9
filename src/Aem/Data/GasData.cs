namespace Aem.Data;

/// <summary>
/// GAS (UCI "gas sensor array under dynamic gas mixtures", ethylene and CO) with the MAF
/// preprocessing (SPEC §2.2). Accepted files, looked for in this order under <c>gas/</c>:
/// <list type="bullet">
/// <item><c>ethylene_CO.npy</c>: an export of the MAF pickle's table, <c>[N, 19]</c> with columns
/// Time, Meth, Eth, then the 16 sensors (the first three are dropped), or <c>[N, 16]</c> sensors only.
/// Used in file order, like the pickle (already a random 25 % sample in random order).</item>
/// <item><c>ethylene_CO.txt</c>: the raw UCI file, a header line then whitespace-separated rows of 19
/// numbers (time, CO ppm, ethylene ppm, 16 sensors). The MAF pickle is a random 25 % sample of it in
/// random order; this is reproduced (not row for row) by shuffling with <c>RandomState(42)</c> and
/// keeping round(fraction·N) rows, then dropping the first three columns.</item>
/// </list>
/// Then: repeatedly drop the first column whose correlation with another column exceeds 0.98,
/// standardise with the mean and sample standard deviation (ddof 1) of all rows, and split by
/// <see cref="TailSplit"/>.
/// </summary>
internal static class GasData
{
    public const double CorrelationLimit = 0.98;

    public static TableSplits Load(string? directory, double rawFraction)
    {
        if (rawFraction is not (> 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rawFraction), rawFraction, "The fraction of ethylene_CO.txt to keep must be in (0, 1].");
        }
        string path = FindFile(directory);
        var sensors = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
            ? SensorsFromExport(NpyFile.Read(path))
            : SensorsFromRawText(CsvFile.Read(path), rawFraction);
        return Preprocess(sensors);
    }

    public static IReadOnlyList<string> SensorNames { get; } = Enumerable.Range(1, 16).Select(i => $"sensor {i}").ToArray();

    /// <summary>The 16 sensor columns of an export of the MAF pickle.</summary>
    public static NumericTable SensorsFromExport(NumericTable table)
    {
        return table.Columns switch
        {
            19 => Named(table.SelectColumns(Enumerable.Range(3, 16).ToArray())),
            16 => Named(table),
            _ => throw new DataFormatException(table.Source,
                $"expected 19 columns (Time, Meth, Eth, 16 sensors) or 16 (the sensors), found {table.Columns}"),
        };
    }

    /// <summary>A seeded random fraction of the raw UCI rows, in random order, sensors only.</summary>
    public static NumericTable SensorsFromRawText(NumericTable table, double fraction)
    {
        if (table.Columns != 19)
        {
            throw new DataFormatException(table.Source, $"expected 19 columns (time, CO, ethylene, 16 sensors), found {table.Columns}");
        }
        var order = new NumpyRandomState(42).Permutation(table.Rows);
        int keep = (int)Math.Round(fraction * table.Rows, MidpointRounding.ToEven);
        var rows = order.AsSpan(0, keep).ToArray();
        return Named(table.SelectRows(rows).SelectColumns(Enumerable.Range(3, 16).ToArray()));
    }

    public static TableSplits Preprocess(NumericTable sensors)
    {
        var sizes = TailSplit.Check(sensors);
        var kept = UncorrelatedColumns(sensors);
        var data = sensors.SelectColumns(kept);
        var standardizer = Standardizer.Fit(data, data.Rows, ddof: 1, "whole set");
        standardizer.TransformInPlace(data);
        var (train, validation, test) = TailSplit.Apply(data, sizes);
        return new TableSplits(train, validation, test, standardizer);
    }

    /// <summary>
    /// The columns left after MAF's loop: while some column correlates above 0.98 with another, drop
    /// the first such column. Dropping a column leaves the other correlations unchanged, so the
    /// matrix is computed once.
    /// </summary>
    public static int[] UncorrelatedColumns(NumericTable table)
    {
        var correlation = Correlation(table);
        var active = Enumerable.Range(0, table.Columns).ToList();
        while (true)
        {
            int first = active.FindIndex(i => active.Count(j => correlation[i, j] > CorrelationLimit) > 1);
            if (first < 0)
            {
                return active.ToArray();
            }
            active.RemoveAt(first);
        }
    }

    /// <summary>Pearson correlation matrix; NaN for a constant column (which then matches nothing, as in pandas).</summary>
    public static double[,] Correlation(NumericTable table)
    {
        int d = table.Columns;
        var mean = new double[d];
        for (int r = 0; r < table.Rows; r++)
        {
            var row = table.Row(r);
            for (int c = 0; c < d; c++)
            {
                mean[c] += row[c];
            }
        }
        for (int c = 0; c < d; c++)
        {
            mean[c] /= table.Rows;
        }
        var products = new double[d, d];
        var centred = new double[d];
        for (int r = 0; r < table.Rows; r++)
        {
            var row = table.Row(r);
            for (int c = 0; c < d; c++)
            {
                centred[c] = row[c] - mean[c];
            }
            for (int i = 0; i < d; i++)
            {
                for (int j = i; j < d; j++)
                {
                    products[i, j] += centred[i] * centred[j];
                }
            }
        }
        var correlation = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                correlation[i, j] = correlation[j, i] = products[i, j] / Math.Sqrt(products[i, i] * products[j, j]);
            }
        }
        return correlation;
    }

    private static string FindFile(string? directory)
    {
        try
        {
            return DataPaths.Find(directory, "gas", "ethylene_CO.npy", "ethylene_CO.txt");
        }
        catch (DataFormatException missing)
        {
            string root = string.IsNullOrEmpty(directory) ? "." : directory;
            var pickle = new[] { Path.Combine(root, "gas", "ethylene_CO.pickle"), Path.Combine(root, "ethylene_CO.pickle") }.FirstOrDefault(File.Exists);
            if (pickle is null)
            {
                throw;
            }
            throw new DataFormatException(pickle,
                "Python pickles cannot be read here; export the table once with python -c \"import pandas as pd, numpy as np; " +
                $"np.save('ethylene_CO.npy', pd.read_pickle('ethylene_CO.pickle').values)\" and put ethylene_CO.npy beside it", missing);
        }
    }

    private static NumericTable Named(NumericTable sensors) =>
        new(sensors.Source, sensors.Rows, sensors.Columns, sensors.Values, SensorNames);
}
