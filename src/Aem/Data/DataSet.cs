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
    public int Features => (int)Train.shape[1];

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
