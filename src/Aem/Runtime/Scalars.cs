using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Aem.Runtime;

/// <summary>
/// Shared scalars and scalar-free forms of TorchSharp calls that would make temporary Scalars.
/// TorchSharp's temporaries can be finalized mid-call: a Scalar converted implicitly (<c>t * 2.0</c>) or
/// made inside a TorchSharp overload (<c>a + b</c>, <c>add(b)</c>, <c>square()</c>, <c>softplus</c>,
/// <c>elu</c>) is unreachable once its handle is read, and a garbage collection started by another
/// thread can free the native value while libtorch still reads it. Library code therefore passes only
/// these constants or its own <c>using var s = value.ToScalar()</c> (checked by ScalarLifetimeTests).
/// </summary>
internal static class Scalars
{
    /// <summary>The integer 0: <c>arange(Zero, stop, One)</c> is TorchSharp's <c>arange(stop)</c>.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>The integer 1: the alpha TorchSharp's <c>a + b</c> and <c>add(b)</c> pass, so <c>a.add(b, One)</c> is the same call.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 2: <c>x.pow(Two)</c> is TorchSharp's <c>square()</c>.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>1.0, the alpha, scale and input scale of TorchSharp's <c>elu()</c>.</summary>
    private static readonly Scalar UnitDouble = 1.0.ToScalar();

    /// <summary><c>F.elu(x, 1.0)</c>: the same libtorch call with shared scalars.</summary>
    public static Tensor Elu(Tensor x) => x.elu(UnitDouble, UnitDouble, UnitDouble);

    /// <summary>
    /// <c>−softplus(x) = log σ(−x)</c>: TorchSharp's softplus makes temporary Scalars of β and the
    /// threshold (its Scalar overload is private), log-sigmoid makes none. Not bit-identical: values
    /// differ by at most an ulp, and past x = 20, where libtorch's softplus returns x itself (up to
    /// 2e-9 off in float64), log-sigmoid stays exact.
    /// </summary>
    public static Tensor NegativeSoftplus(Tensor x)
    {
        using var negated = x.neg();
        return F.logsigmoid(negated);
    }
}
