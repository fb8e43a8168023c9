namespace Aem.Data;

/// <summary>
/// POWER (UCI household electric power consumption) with the MAF preprocessing (SPEC §2.2):
/// <c>power/data.npy</c> holds 8 columns; shuffle the rows with NumPy's <c>RandomState(42)</c>, drop
/// columns 3 and 1, add uniform noise (0.001·U to active power, 0.01·U to voltage, U to each
/// sub-metering, none to time) drawn from the same generator, split by <see cref="TailSplit"/>, and
/// standardise with the mean and population standard deviation of training + validation. D = 6.
/// </summary>
internal static class PowerData
{
    /// <summary>The columns of <c>data.npy</c>, in order.</summary>
    public static IReadOnlyList<string> RawColumns { get; } =
    [
        "Global_active_power", "Global_reactive_power", "Voltage", "Global_intensity",
        "Sub_metering_1", "Sub_metering_2", "Sub_metering_3", "Time",
    ];

    public static TableSplits Load(string? directory)
    {
        string path = DataPaths.Find(directory, "power", "data.npy");
        var raw = NpyFile.Read(path);
        if (raw.Columns != RawColumns.Count)
        {
            throw new DataFormatException(path, $"POWER has {RawColumns.Count} columns ({string.Join(", ", RawColumns)}), found {raw.Columns}");
        }
        return Preprocess(new NumericTable(path, raw.Rows, raw.Columns, raw.Values, RawColumns));
    }

    public static TableSplits Preprocess(NumericTable raw)
    {
        var sizes = TailSplit.Check(raw);
        var random = new NumpyRandomState(42);
        var data = raw.SelectRows(random.Permutation(raw.Rows)).DropColumn(3).DropColumn(1);
        // Now [active power, voltage, sub-metering 1..3, time]; the draws come in MAF's order.
        AddNoise(data, [1], 0.01, random);
        AddNoise(data, [0], 0.001, random);
        AddNoise(data, [2, 3, 4], 1.0, random);

        var standardizer = Standardizer.Fit(data, sizes.Train + sizes.Validation, ddof: 0, "training + validation rows");
        standardizer.TransformInPlace(data);
        var (train, validation, test) = TailSplit.Apply(data, sizes);
        return new TableSplits(train, validation, test, standardizer);
    }

    /// <summary>Adds <c>scale·U</c> to <paramref name="columns"/>, row by row (NumPy's <c>rand(N, k)</c> order).</summary>
    private static void AddNoise(NumericTable data, int[] columns, double scale, NumpyRandomState random)
    {
        for (int r = 0; r < data.Rows; r++)
        {
            foreach (int c in columns)
            {
                data.Values[(r * data.Columns) + c] += scale * random.NextDouble();
            }
        }
    }
}
