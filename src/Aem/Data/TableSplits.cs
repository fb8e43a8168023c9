namespace Aem.Data;

/// <summary>
/// Training, validation and test tables in model units (float64), before they become tensors; rows
/// <c>[x | c]</c> when the last <see cref="ContextFeatures"/> columns are a context.
/// </summary>
internal sealed record TableSplits(NumericTable Train, NumericTable Validation, NumericTable Test, Standardizer? Standardizer)
{
    /// <summary>D, the data columns.</summary>
    public int Features => Train.Columns - ContextFeatures;

    /// <summary>C, the context columns at the end of each row.</summary>
    public int ContextFeatures { get; init; }

    /// <summary>The context's standardisation (with <see cref="Standardizer"/> for the data columns).</summary>
    public Standardizer? ContextStandardizer { get; init; }

    public DataSet ToDataSet(string name) =>
        new(name, Train.ToTensor(), Validation.ToTensor(), Test.ToTensor(), Standardizer)
        {
            ColumnNames = Train.ColumnNames?.Take(Features).ToArray(),
            ContextFeatures = ContextFeatures,
            ContextColumnNames = ContextFeatures > 0 ? Train.ColumnNames?.Skip(Features).ToArray() : null,
            ContextStandardizer = ContextStandardizer,
        };
}
