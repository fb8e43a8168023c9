using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Distributions;

/// <summary>
/// A fixed uniform proposal U(low, high) for every leading index (the paper's checkerboard task uses
/// U(−4, 4)). <c>log q = −log(high − low)</c> inside the interval and −∞ outside.
/// </summary>
internal sealed class UniformProposal : IProposal
{
    private readonly long[] leadingShape;
    private readonly ScalarType dtype;
    private readonly Device device;

    public UniformProposal(double low, double high, long[] leadingShape, ScalarType dtype, Device device)
    {
        if (!(high > low)) throw new ArgumentOutOfRangeException(nameof(high), high, $"Need high > low (low = {low}).");
        Low = low;
        High = high;
        this.leadingShape = leadingShape;
        this.dtype = dtype;
        this.device = device;
    }

    public double Low { get; }

    public double High { get; }

    public Tensor LogProb(Tensor values)
    {
        using var scope = NewDisposeScope();
        using var low = Low.ToScalar();
        using var high = High.ToScalar();
        using var logDensityValue = (-Math.Log(High - Low)).ToScalar();
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        var outside = values.lt(low).logical_or_(values.gt(high));
        return full_like(values, logDensityValue).masked_fill_(outside, minusInfinity).MoveToOuterDisposeScope();
    }

    public Tensor Sample(long count, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var u = rand([.. leadingShape, count], dtype: dtype, device: device, generator: generator);
        using var width = (High - Low).ToScalar();
        using var low = Low.ToScalar();
        return u.mul_(width).add_(low, Scalars.One).MoveToOuterDisposeScope();
    }

    public Tensor Cdf(Tensor values)
    {
        using var scope = NewDisposeScope();
        using var low = Low.ToScalar();
        using var width = (High - Low).ToScalar();
        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        return values.sub(low).div_(width).clamp_(zero, one).MoveToOuterDisposeScope();
    }

    public Tensor Quantile(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        using var width = (High - Low).ToScalar();
        using var low = Low.ToScalar();
        return probabilities.to(float64).mul(width).add_(low, Scalars.One).to(dtype).MoveToOuterDisposeScope();
    }
}
