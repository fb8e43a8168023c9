namespace Aem.Data;

/// <summary>How many rows to generate for each split (the BSDS300 patch task, <see cref="DataRequest.BsdsPatches"/>).</summary>
/// <param name="Train">Rows (patches) in the training split.</param>
/// <param name="Validation">Rows in the validation split.</param>
/// <param name="Test">Rows in the test split.</param>
public sealed record SplitSizes(int Train, int Validation, int Test)
{
    /// <summary>The BSDS300 patch counts of the MAF data (1,000,000 / 50,000 / 250,000).</summary>
    public static SplitSizes Bsds300 { get; } = new(1_000_000, 50_000, 250_000);
}
