using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Training;

/// <summary>
/// A module's parameters and their gradients as views of two flat tensors, so that whole-model work
/// (zeroing, the gradient norm, Adam) is a few operations instead of several per parameter. A small
/// model's step is bound by per-operation overhead: with forty parameters, the per-parameter zeroing,
/// norm, clipping and Adam took about as many libtorch calls as the forward and backward passes.
/// Autograd accumulates into an existing gradient in place, so backward fills the flat gradient.
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    private readonly Parameter[] parameters;

    /// <summary>Moves the values of <paramref name="parameters"/> into one flat tensor and points every parameter and gradient at its slice.</summary>
    public FlatParameters(IEnumerable<Parameter> parameters)
    {
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException("The model has no parameters to train.", nameof(parameters));
        var first = this.parameters[0];
        if (this.parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
        {
            throw new NotSupportedException("Training needs every parameter in one dtype on one device.");
        }
        long total = this.parameters.Sum(p => p.numel());
        Values = empty(total, dtype: first.dtype, device: first.device);
        Gradients = zeros(total, dtype: first.dtype, device: first.device);
        using var noGrad = no_grad();
        long offset = 0;
        foreach (var parameter in this.parameters)
        {
            long n = parameter.numel();
            using var slot = Values.narrow(0, offset, n);
            using (var flat = parameter.detach().reshape(-1)) slot.copy_(flat);
            using (var view = slot.view(parameter.shape)) parameter.set_(view);
            using var gradient = Gradients.narrow(0, offset, n);
            using var gradientView = gradient.view(parameter.shape);
            parameter.grad = gradientView;
            offset += n;
        }
    }

    /// <summary>Every parameter's values, one after another in the module's order.</summary>
    public Tensor Values { get; }

    /// <summary>Every parameter's gradient, laid out as <see cref="Values"/>.</summary>
    public Tensor Gradients { get; }

    /// <summary>The parameters, in the order of <see cref="Values"/>.</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>Zeroes every gradient in one operation (the views stay, so autograd keeps accumulating into them).</summary>
    public void ZeroGradients() => Gradients.zero_();

    /// <summary>The global L2 norm of the gradients (as <c>clip_grad_norm_</c> computes it), read back to the host.</summary>
    public double GradientNorm()
    {
        using var norm = Gradients.norm();
        return norm.ToDouble();
    }

    /// <summary>Scales the gradients so that their norm is at most <paramref name="maxNorm"/>, as <c>clip_grad_norm_</c> does.</summary>
    public void Clip(double norm, double maxNorm)
    {
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient >= 1) return;
        using var scale = coefficient.ToScalar();
        Gradients.mul_(scale);
    }

    /// <summary>Releases the flat handles; the parameters keep the storage alive.</summary>
    public void Dispose()
    {
        Values.Dispose();
        Gradients.Dispose();
    }
}
