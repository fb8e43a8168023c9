namespace Aem.Data;

/// <summary>How many rows to generate for each split.</summary>
public sealed record SplitSizes(int Train, int Validation, int Test)
{
    /// <summary>The BSDS300 patch counts of the MAF data (1,000,000 / 50,000 / 250,000).</summary>
    public static SplitSizes Bsds300 { get; } = new(1_000_000, 50_000, 250_000);
}
