using static TorchSharp.torch;

namespace Aem.Figures;

/// <summary>The rectangle <c>[X1Min, X1Max] × [X2Min, X2Max]</c> a two-dimensional figure shows, in data units.</summary>
/// <param name="X1Min">Left edge (x₁).</param>
/// <param name="X1Max">Right edge (x₁).</param>
/// <param name="X2Min">Bottom edge (x₂).</param>
/// <param name="X2Max">Top edge (x₂).</param>
public sealed record PlotRegion(double X1Min, double X1Max, double X2Min, double X2Max)
{
    /// <summary>The extent along x₁, in data units.</summary>
    public double Width => X1Max - X1Min;

    /// <summary>The extent along x₂, in data units.</summary>
    public double Height => X2Max - X2Min;

    /// <summary>
    /// The box holding the central <c>1 − 2·<paramref name="tail"/></c> of each coordinate of
    /// <paramref name="points"/> <c>[N, 2]</c>, widened by <paramref name="padding"/> of its size on every
    /// side. Quantiles rather than extremes keep a few outliers from shrinking the picture.
    /// </summary>
    public static PlotRegion FromData(Tensor points, double padding = 0.05, double tail = 0.001)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.dim() != 2 || points.shape[1] != 2 || points.shape[0] == 0)
        {
            throw new ArgumentException($"Need points of shape [N > 0, 2], got [{string.Join(", ", points.shape)}].", nameof(points));
        }
        using var scope = NewDisposeScope();
        var x = points.to(float64);
        var q = tensor(new[] { tail, 1 - tail }, dtype: float64);
        var bounds = x.quantile(q, dim: 0).data<double>().ToArray();          // [2 quantiles, 2 columns], row-major
        double x1Lo = bounds[0], x2Lo = bounds[1], x1Hi = bounds[2], x2Hi = bounds[3];
        (x1Lo, x1Hi) = Widen(x1Lo, x1Hi, padding);
        (x2Lo, x2Hi) = Widen(x2Lo, x2Hi, padding);
        return new PlotRegion(x1Lo, x1Hi, x2Lo, x2Hi);
    }

    /// <summary><paramref name="count"/> evenly spaced cell centres across <c>[low, high]</c>.</summary>
    internal static double[] CellCentres(double low, double high, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Need at least one cell.");
        double step = (high - low) / count;
        return Enumerable.Range(0, count).Select(i => low + ((i + 0.5) * step)).ToArray();
    }

    private static (double Low, double High) Widen(double low, double high, double padding)
    {
        double span = high - low;
        // A degenerate column (all values equal) still gets a visible box.
        if (!(span > 0)) span = Math.Max(Math.Abs(low), 1.0);
        return (low - (padding * span), high + (padding * span));
    }
}
