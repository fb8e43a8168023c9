using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// MNIST as grey levels in [0, 1], float32 <c>[N, 1, 28, 28]</c> on the CPU: the training file split into
/// <see cref="Train"/> and its last images as <see cref="Validation"/>, and the test file.
/// </summary>
internal sealed record MnistData(Tensor Train, Tensor Validation, Tensor Test) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
