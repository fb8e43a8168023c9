using Aem.Data;
using Aem.Model;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Figures;

/// <summary>
/// Conditional densities <c>p(x2 | x1)</c> at a few fixed x1 (the paper's figure 4b): the AEM's
/// <c>φ(x2; γ(x1)) / Ẑ(x1)</c>, the proposal's <c>q(x2 | x1)</c>, and a histogram of the data whose x1
/// lies within <see cref="BandHalfWidth"/> of the slice. All in data units; index k is the slice.
/// </summary>
/// <param name="X1">The slices' x1 values, <c>[K]</c>.</param>
/// <param name="X2">The x2 grid, <c>[G]</c>.</param>
/// <param name="Density">AEM p̂(x2 | x1), <c>[K, G]</c>.</param>
/// <param name="ProposalDensity">Proposal q(x2 | x1), <c>[K, G]</c>.</param>
/// <param name="BinEdges">Edges of the data histogram's x2 bins, <c>[bins + 1]</c>.</param>
/// <param name="DataDensity">Histogram density of the data's x2 near each slice, <c>[K, bins]</c>.</param>
/// <param name="DataCounts">Data points in each slice's band, <c>[K]</c>.</param>
/// <param name="BandHalfWidth">Half-width of the x1 band around each slice.</param>
/// <param name="Samples">S, the importance samples behind each Ẑ.</param>
public sealed record ConditionalSlices(
    double[] X1,
    double[] X2,
    double[,] Density,
    double[,] ProposalDensity,
    double[] BinEdges,
    double[,] DataDensity,
    long[] DataCounts,
    double BandHalfWidth,
    int Samples)
{
    /// <summary>
    /// Slices at <paramref name="slices"/> evenly spaced quantiles of the data's x1 (5 % to 95 %), each
    /// evaluated at <paramref name="gridPoints"/> x2 values across <paramref name="region"/>.
    /// </summary>
    /// <param name="model">A two-dimensional AEM.</param>
    /// <param name="data">Data points <c>[N, 2]</c> in data units.</param>
    /// <param name="region">The x2 range to show (and the x1 range that sets the band width).</param>
    /// <param name="slices">Number of x1 values.</param>
    /// <param name="gridPoints">x2 values per slice for the model curves.</param>
    /// <param name="bins">x2 bins of the data histogram.</param>
    /// <param name="samples">S per normaliser.</param>
    /// <param name="seed">Seeds the importance samples.</param>
    /// <param name="standardizer">The model's data transform, if any.</param>
    /// <param name="bandFraction">The x1 band's half-width as a fraction of the region's width.</param>
    public static ConditionalSlices Compute(
        AutoregressiveEnergyMachine model,
        Tensor data,
        PlotRegion region,
        int slices = 6,
        int gridPoints = 400,
        int bins = 60,
        int samples = 1000,
        long seed = 1,
        Standardizer? standardizer = null,
        double bandFraction = 0.01)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(region);
        if (slices < 1) throw new ArgumentOutOfRangeException(nameof(slices), slices, "Need at least one slice.");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "Need at least one bin.");
        if (data.dim() != 2 || data.shape[1] != 2 || data.shape[0] == 0)
        {
            throw new ArgumentException($"Need data of shape [N > 0, 2], got [{string.Join(", ", data.shape)}].", nameof(data));
        }
        double[] x1 = SlicePositions(data, slices);
        double[] x2 = PlotRegion.CellCentres(region.X2Min, region.X2Max, gridPoints);
        ArgumentNullException.ThrowIfNull(model);
        using var generator = new Generator((ulong)seed, model.parameters().First().device);
        var grid = GridEvaluator.Evaluate(model, x1, x2, samples, generator, standardizer);
        double halfWidth = bandFraction * region.Width;
        var (edges, density, counts) = DataHistograms(data, x1, halfWidth, region, bins);
        return new ConditionalSlices(
            x1, x2, Exp(grid.LogConditional), Exp(grid.LogConditionalProposal), edges, density, counts, halfWidth, samples);
    }

    private static double[] SlicePositions(Tensor data, int slices)
    {
        using var scope = NewDisposeScope();
        var levels = Enumerable.Range(0, slices).Select(k => slices == 1 ? 0.5 : 0.05 + (0.9 * k / (slices - 1))).ToArray();
        return data[.., 0].to(float64).cpu().quantile(tensor(levels, dtype: float64)).data<double>().ToArray();
    }

    private static (double[] Edges, double[,] Density, long[] Counts) DataHistograms(
        Tensor data, double[] x1, double halfWidth, PlotRegion region, int bins)
    {
        using var scope = NewDisposeScope();
        var points = data.to(float64).cpu();
        double binWidth = region.Height / bins;
        var edges = Enumerable.Range(0, bins + 1).Select(b => region.X2Min + (b * binWidth)).ToArray();
        var density = new double[x1.Length, bins];
        var counts = new long[x1.Length];
        using var half = halfWidth.ToScalar();
        using var x2Min = region.X2Min.ToScalar();
        using var width = binWidth.ToScalar();
        using var binCount = bins.ToScalar();
        for (int k = 0; k < x1.Length; k++)
        {
            using var centre = x1[k].ToScalar();
            var inBand = points[.., 0].sub(centre).abs().le(half);
            var x2 = points[.., 1].masked_select(inBand);                                 // [n_k]
            counts[k] = x2.shape[0];
            if (counts[k] == 0) continue;
            var bin = x2.sub(x2Min).div(width).floor();
            var inside = bin.ge(Scalars.Zero).logical_and(bin.lt(binCount));
            var histogram = bin.masked_select(inside).to(int64).bincount(null, bins).to(float64).data<double>().ToArray();
            // Normalised by every point in the band, so mass outside the region is accounted for.
            for (int b = 0; b < bins; b++) density[k, b] = histogram[b] / (counts[k] * binWidth);
        }
        return (edges, density, counts);
    }

    private static double[,] Exp(double[,] logValues)
    {
        var result = new double[logValues.GetLength(0), logValues.GetLength(1)];
        for (int i = 0; i < result.GetLength(0); i++)
        {
            for (int j = 0; j < result.GetLength(1); j++) result[i, j] = Math.Exp(logValues[i, j]);
        }
        return result;
    }
}
