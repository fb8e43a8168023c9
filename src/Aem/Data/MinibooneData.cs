namespace Aem.Data;

/// <summary>
/// MINIBOONE with the MAF preprocessing (SPEC §2.2): <c>miniboone/data.npy</c> (already cleaned by the
/// MAF authors, 43 columns) is split by <see cref="TailSplit"/> in file order and standardised with the
/// mean and population standard deviation of training + validation.
/// </summary>
internal static class MinibooneData
{
    public static TableSplits Load(string? directory) =>
        Preprocess(NpyFile.Read(DataPaths.Find(directory, "miniboone", "data.npy")));

    public static TableSplits Preprocess(NumericTable data)
    {
        var sizes = TailSplit.Check(data);
        var standardizer = Standardizer.Fit(data, sizes.Train + sizes.Validation, ddof: 0, "training + validation rows");
        var copy = data.Slice(0, data.Rows);
        standardizer.TransformInPlace(copy);
        var (train, validation, test) = TailSplit.Apply(copy, sizes);
        return new TableSplits(train, validation, test, standardizer);
    }
}
