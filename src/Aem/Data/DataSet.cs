using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// A dataset split three ways, in the model's units (already standardised if
/// <see cref="Standardizer"/> is set), as float32 tensors <c>[N, D]</c> on the CPU.
/// </summary>
/// <param name="Name">Task or file name.</param>
/// <param name="Train">Training split.</param>
/// <param name="Validation">Validation split (early stopping, hyper-parameters).</param>
/// <param name="Test">Test split (reported scores).</param>
/// <param name="Standardizer">The transform from data units to model units; null when the data is used as is.</param>
public sealed record DataSet(string Name, Tensor Train, Tensor Validation, Tensor Test, Standardizer? Standardizer) : IDisposable
{
    /// <summary>D, values per row.</summary>
    public int Features => (int)Train.shape[1];

    /// <summary>The data's column names (a user file's header), or null when it has none.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>Releases the three splits' tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
