namespace Aem.Data;

/// <summary>What data to load: a built-in task by name, or a user file.</summary>
public sealed record DataRequest
{
    /// <summary>A built-in task ("checkerboard", "spirals", "diamond", ...) or a tabular set ("power", ...).</summary>
    public string? Dataset { get; init; }

    /// <summary>Folder holding a tabular set's files (for "power", "gas", ...).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Training points to generate for synthetic tasks (the paper uses 10^6).</summary>
    public int SyntheticTrainPoints { get; init; } = 1_000_000;

    /// <summary>Validation and test points each for synthetic tasks.</summary>
    public int SyntheticHeldOutPoints { get; init; } = 100_000;

    public int Seed { get; init; } = 1;
}
