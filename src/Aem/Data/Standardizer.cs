using static TorchSharp.torch;

namespace Aem.Data;

/// <summary>
/// Per-column affine standardisation <c>z = (x − mean) / scale</c>, fitted on training data and stored
/// in checkpoints so that evaluation and sampling work in the original units.
/// </summary>
public sealed record Standardizer(double[] Mean, double[] Scale)
{
    /// <summary>Fits column means and (population) standard deviations of <paramref name="data"/> <c>[N, D]</c>.</summary>
    public static Standardizer Fit(Tensor data)
    {
        using var scope = NewDisposeScope();
        var x = data.to(float64);
        var mean = x.mean([0]);
        var std = (x - mean).square().mean([0]).sqrt();
        return new Standardizer(mean.data<double>().ToArray(), std.data<double>().ToArray());
    }

    /// <summary>The identity transform for <paramref name="features"/> columns.</summary>
    public static Standardizer Identity(int features) =>
        new(Enumerable.Repeat(0.0, features).ToArray(), Enumerable.Repeat(1.0, features).ToArray());

    public int Features => Mean.Length;

    /// <summary>log |det ∂z/∂x| = −Σ log scale: add it to a log-density of z to get one of x.</summary>
    public double LogAbsDetJacobian => -Scale.Sum(Math.Log);

    public Tensor Transform(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (mean, scale) = Tensors(x);
        return ((x - mean) / scale).MoveToOuterDisposeScope();
    }

    public Tensor Inverse(Tensor z)
    {
        using var scope = NewDisposeScope();
        var (mean, scale) = Tensors(z);
        return ((z * scale) + mean).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor Scale) Tensors(Tensor like) =>
        (tensor(Mean, dtype: like.dtype, device: like.device), tensor(Scale, dtype: like.dtype, device: like.device));
}
