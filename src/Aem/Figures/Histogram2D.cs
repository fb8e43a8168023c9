using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Figures;

/// <summary>
/// A two-dimensional histogram normalised to a density: <c>Density[i, j]</c> is the fraction of all
/// points in cell (i, j) divided by the cell's area, so it is comparable with a model's density.
/// Index i runs along x1 and j along x2.
/// </summary>
/// <param name="Region">The binned rectangle.</param>
/// <param name="Density">Density per cell, <c>[bins1, bins2]</c>.</param>
/// <param name="Points">All points given, including any outside the region.</param>
public sealed record Histogram2D(PlotRegion Region, double[,] Density, long Points)
{
    /// <summary>Bins <paramref name="points"/> <c>[N, 2]</c> (data units) into <paramref name="bins1"/> × <paramref name="bins2"/> cells of <paramref name="region"/>.</summary>
    public static Histogram2D Compute(Tensor points, PlotRegion region, int bins1, int bins2)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(region);
        if (points.dim() != 2 || points.shape[1] != 2)
        {
            throw new ArgumentException($"Need points of shape [N, 2], got [{string.Join(", ", points.shape)}].", nameof(points));
        }
        if (bins1 < 1 || bins2 < 1) throw new ArgumentOutOfRangeException(nameof(bins1), "Need at least one bin per axis.");
        long n = points.shape[0];
        var density = new double[bins1, bins2];
        if (n == 0) return new Histogram2D(region, density, 0);

        using var scope = NewDisposeScope();
        var x = points.to(float64).cpu();
        using var x1Min = region.X1Min.ToScalar();
        using var x2Min = region.X2Min.ToScalar();
        using var perUnit1 = (bins1 / region.Width).ToScalar();
        using var perUnit2 = (bins2 / region.Height).ToScalar();
        using var count1 = bins1.ToScalar();
        using var count2 = bins2.ToScalar();
        var i = x[.., 0].sub(x1Min).mul(perUnit1).floor();                         // [N]
        var j = x[.., 1].sub(x2Min).mul(perUnit2).floor();                         // [N]
        var inside = i.ge(Scalars.Zero).logical_and(i.lt(count1)).logical_and(j.ge(Scalars.Zero)).logical_and(j.lt(count2));
        var cell = i.mul(count2).add(j, Scalars.One).masked_select(inside).to(int64); // row-major cell index
        var counts = cell.bincount(null, bins1 * bins2).to(float64).data<double>().ToArray();
        double scale = bins1 * bins2 / (region.Width * region.Height * n);
        for (int a = 0; a < bins1; a++)
        {
            for (int b = 0; b < bins2; b++) density[a, b] = counts[(a * bins2) + b] * scale;
        }
        return new Histogram2D(region, density, n);
    }
}
