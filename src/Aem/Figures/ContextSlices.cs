using Aem.Data;
using Aem.Evaluation;
using Aem.Model;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Figures;

/// <summary>
/// The first conditional of a conditional model, <c>p(x1 | c)</c>, at a few contexts: the AEM's
/// <c>φ(x1; γ(c)) / Ẑ(c)</c>, the proposal's <c>q(x1 | c)</c>, and (for a one-value context) a histogram of
/// the data whose context lies within <see cref="BandHalfWidth"/> of each. All in data units; index k is the
/// context.
/// </summary>
/// <param name="Contexts">The contexts, <c>[K][C]</c>, data units.</param>
/// <param name="X1">The x1 grid, <c>[G]</c>.</param>
/// <param name="Density">AEM p̂(x1 | c), <c>[K, G]</c>.</param>
/// <param name="ProposalDensity">Proposal q(x1 | c), <c>[K, G]</c>.</param>
/// <param name="BinEdges">Edges of the data histogram's x1 bins, <c>[bins + 1]</c>.</param>
/// <param name="DataDensity">Histogram density of the data's x1 near each context, <c>[K, bins]</c> (zeros when the context has more than one value).</param>
/// <param name="DataCounts">Data rows in each context's band, <c>[K]</c>.</param>
/// <param name="BandHalfWidth">Half-width of the context band around each context (one-value contexts).</param>
/// <param name="Samples">S, the importance samples behind each Ẑ.</param>
public sealed record ContextSlices(
    double[][] Contexts,
    double[] X1,
    double[,] Density,
    double[,] ProposalDensity,
    double[] BinEdges,
    double[,] DataDensity,
    long[] DataCounts,
    double BandHalfWidth,
    int Samples)
{
    /// <summary>
    /// <paramref name="slices"/> contexts from <paramref name="data"/> (rows <c>[x | c]</c>, data units): for a
    /// one-value context its evenly spaced quantiles (5 % to 95 %), otherwise the contexts of the rows at those
    /// quantiles of the first context value; each evaluated at <paramref name="gridPoints"/> x1 values across the
    /// data's range of x1.
    /// </summary>
    /// <param name="model">A conditional AEM.</param>
    /// <param name="data">Rows <c>[N, D + C]</c> in data units.</param>
    /// <param name="slices">Number of contexts.</param>
    /// <param name="gridPoints">x1 values per context for the model curves.</param>
    /// <param name="bins">x1 bins of the data histogram.</param>
    /// <param name="samples">S per normaliser.</param>
    /// <param name="seed">Seeds the importance samples.</param>
    /// <param name="standardizer">The model's transform of x, if any.</param>
    /// <param name="contextStandardizer">The model's transform of the context, if any.</param>
    /// <param name="bandFraction">The context band's half-width as a fraction of the context's range.</param>
    public static ContextSlices Compute(
        AutoregressiveEnergyMachine model,
        Tensor data,
        int slices = 6,
        int gridPoints = 400,
        int bins = 60,
        int samples = 1000,
        long seed = 1,
        Standardizer? standardizer = null,
        Standardizer? contextStandardizer = null,
        double bandFraction = 0.01)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        int d = model.Options.Features, c = model.Options.ConditioningFeatures;
        if (c == 0) throw new ArgumentException("Context slices are for a conditional model; this one models p(x) without a context.", nameof(model));
        if (data.dim() != 2 || data.shape[1] != d + c || data.shape[0] == 0)
        {
            throw new ArgumentException($"Need rows of shape [N > 0, {d + c}] (x, then the context), got [{string.Join(", ", data.shape)}].", nameof(data));
        }
        if (slices < 1) throw new ArgumentOutOfRangeException(nameof(slices), slices, "Need at least one context.");
        if (gridPoints < 2) throw new ArgumentOutOfRangeException(nameof(gridPoints), gridPoints, "Need at least two grid points.");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "Need at least one bin.");
        using var scope = NewDisposeScope();
        var rows = data.to(float64).cpu();
        var x1Values = rows[.., 0];
        var contextValues = rows.narrow(1, d, c);                                        // [N, C]
        var contexts = Choose(contextValues, slices);
        var (low, high) = Range(x1Values);
        var x1 = PlotRegion.CellCentres(low, high, gridPoints);
        var (density, proposal) = Evaluate(model, contexts, x1, samples, seed, standardizer ?? Standardizer.Identity(d), contextStandardizer ?? Standardizer.Identity(c));
        double halfWidth = 0;
        double[] edges = Enumerable.Range(0, bins + 1).Select(b => low + (b * (high - low) / bins)).ToArray();
        var histogram = new double[slices, bins];
        var counts = new long[slices];
        if (c == 1)
        {
            var (cLow, cHigh) = Range(contextValues[.., 0]);
            halfWidth = bandFraction * (cHigh - cLow);
            (histogram, counts) = Histograms(x1Values, contextValues[.., 0], contexts, halfWidth, edges);
        }
        return new ContextSlices(contexts, x1, density, proposal, edges, histogram, counts, halfWidth, samples);
    }

    private static double[][] Choose(Tensor contexts, int slices)
    {
        using var scope = NewDisposeScope();
        var levels = Enumerable.Range(0, slices).Select(k => slices == 1 ? 0.5 : 0.05 + (0.9 * k / (slices - 1))).ToArray();
        var first = contexts[.., 0];
        if (contexts.shape[1] == 1)
        {
            return first.quantile(tensor(levels, dtype: float64)).data<double>().Select(v => new[] { v }).ToArray();
        }
        var order = first.argsort();
        long n = first.shape[0];
        return levels.Select(level =>
        {
            long row = order[(long)Math.Round(level * (n - 1))].item<long>();
            return contexts[row].data<double>().ToArray();
        }).ToArray();
    }

    private static readonly double[] TailQuantiles = [0.001, 0.999];

    private static (double Low, double High) Range(Tensor values)
    {
        using var scope = NewDisposeScope();
        var bounds = values.quantile(tensor(TailQuantiles, dtype: float64)).data<double>().ToArray();
        double span = bounds[1] - bounds[0];
        if (!(span > 0)) span = Math.Max(Math.Abs(bounds[0]), 1.0);
        return (bounds[0] - (0.05 * span), bounds[1] + (0.05 * span));
    }

    /// <summary>p̂(x1 | c) and q(x1 | c) on the grid for every context, in data units.</summary>
    private static (double[,] Density, double[,] Proposal) Evaluate(
        AutoregressiveEnergyMachine model, double[][] contexts, double[] x1, int samples, long seed, Standardizer standardizer, Standardizer contextStandardizer)
    {
        var parameter = model.parameters().First();
        int d = model.Options.Features, c = model.Options.ConditioningFeatures;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            using var generator = new Generator((ulong)seed, parameter.device);
            int k = contexts.Length;
            var given = contextStandardizer.Transform(tensor(contexts.SelectMany(v => v).ToArray(), [k, c], dtype: float64)); // [K, C]
            // x is not read by dimension 1's outputs: zeros stand in for it.
            var rows = cat([zeros([k, d], dtype: float64), given], 1).to(parameter.dtype, parameter.device); // [K, D + C]
            var conditionals = model.SplitOutputs(ConditionalSlice.RawOutputs(model, rows, 0)); // [K, 1, P]
            var z1 = x1.Select(v => (v - standardizer.Mean[0]) / standardizer.Scale[0]).ToArray();
            var values = tensor(z1, dtype: float64).unsqueeze(0).expand(k, -1).contiguous();   // [K, G]
            var logPhi = ConditionalEnergy.LogEnergy(model, conditionals.Context, values, EnergyRows.Default); // [K, G]
            var logZ = ConditionalEnergy.LogNormalizer(model, conditionals, samples, generator, EnergyRows.Default); // [K]
            var logQ = conditionals.Proposal.LogProb(values.to(parameter.dtype).unsqueeze(1)).squeeze(1).to(float64); // [K, G]
            // Densities in data units: x1 = μ + s·z, so p(x1) = p(z) / s.
            var logJacobian = tensor(-Math.Log(standardizer.Scale[0]), dtype: float64);
            var density = logPhi.sub(logZ.unsqueeze(1)).add(logJacobian, Scalars.One).exp().cpu();
            var proposal = logQ.add(logJacobian, Scalars.One).exp().cpu();
            return (ToMatrix(density), ToMatrix(proposal));
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static (double[,] Density, long[] Counts) Histograms(Tensor x1, Tensor context, double[][] contexts, double halfWidth, double[] edges)
    {
        using var scope = NewDisposeScope();
        int bins = edges.Length - 1;
        double width = edges[1] - edges[0];
        var density = new double[contexts.Length, bins];
        var counts = new long[contexts.Length];
        using var half = halfWidth.ToScalar();
        using var low = edges[0].ToScalar();
        using var binWidth = width.ToScalar();
        using var binCount = bins.ToScalar();
        for (int k = 0; k < contexts.Length; k++)
        {
            using var centre = contexts[k][0].ToScalar();
            var inBand = context.sub(centre).abs().le(half);
            var values = x1.masked_select(inBand);                                        // [n_k]
            counts[k] = values.shape[0];
            if (counts[k] == 0) continue;
            var bin = values.sub(low).div(binWidth).floor();
            var inside = bin.ge(Scalars.Zero).logical_and(bin.lt(binCount));
            var histogram = bin.masked_select(inside).to(int64).bincount(null, bins).to(float64).data<double>().ToArray();
            // Normalised by every row in the band, so mass outside the grid is accounted for.
            for (int b = 0; b < bins; b++) density[k, b] = histogram[b] / (counts[k] * width);
        }
        return (density, counts);
    }

    private static double[,] ToMatrix(Tensor t)
    {
        long rows = t.shape[0], columns = t.shape[1];
        var values = t.contiguous().data<double>().ToArray();
        var result = new double[rows, columns];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }
}
