using static TorchSharp.torch;

namespace Aem.Nn;

internal static class ActivationExtensions
{
    public static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.Relu => x.relu(),
        Activation.Tanh => x.tanh(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    /// <summary>
    /// Applies the activation in place. Only for tensors nothing else reads afterwards: both ReLU's and
    /// tanh's backward use their output, not their input, so autograd allows it.
    /// </summary>
    public static Tensor ApplyInPlace(this Activation activation, Tensor x) => activation switch
    {
        Activation.Relu => x.relu_(),
        Activation.Tanh => x.tanh_(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
