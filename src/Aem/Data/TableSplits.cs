namespace Aem.Data;

/// <summary>Training, validation and test tables in model units (float64), before they become tensors.</summary>
internal sealed record TableSplits(NumericTable Train, NumericTable Validation, NumericTable Test, Standardizer? Standardizer)
{
    public int Features => Train.Columns;

    public DataSet ToDataSet(string name) =>
        new(name, Train.ToTensor(), Validation.ToTensor(), Test.ToTensor(), Standardizer) { ColumnNames = Train.ColumnNames };
}
