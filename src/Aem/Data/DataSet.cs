using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// A dataset split three ways, in the model's units (already standardised if
/// <see cref="Standardizer"/> is set), as float32 tensors <c>[N, D]</c> on the CPU. Data for a
/// conditional density p(x | c) has rows <c>[x | c]</c>, <c>[N, D + C]</c>, with
/// <see cref="ContextFeatures"/> = C.
/// </summary>
/// <param name="Name">Task or file name.</param>
/// <param name="Train">Training split.</param>
/// <param name="Validation">Validation split (early stopping, hyper-parameters).</param>
/// <param name="Test">Test split (reported scores).</param>
/// <param name="Standardizer">The transform of x from data units to model units; null when the data is used as is.</param>
public sealed record DataSet(string Name, Tensor Train, Tensor Validation, Tensor Test, Standardizer? Standardizer) : IDisposable
{
    /// <summary>D, data values per row (the context's C come after them).</summary>
    public int Features => (int)Train.shape[1] - ContextFeatures;

    /// <summary>C, the context values at the end of each row (0: the data has no context).</summary>
    public int ContextFeatures { get; init; }

    /// <summary>The data's column names (a user file's header), or null when it has none.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>The context's column names, or null.</summary>
    public IReadOnlyList<string>? ContextColumnNames { get; init; }

    /// <summary>The transform of the context from data units to model units; null when it is used as is.</summary>
    public Standardizer? ContextStandardizer { get; init; }

    /// <summary>Releases the three splits' tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
