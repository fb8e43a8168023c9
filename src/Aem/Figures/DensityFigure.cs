using Aem.Data;
using Aem.Model;
using Aem.Sampling;
using static TorchSharp.torch;

namespace Aem.Figures;

/// <summary>
/// The numbers behind one row of the paper's figure 4a, in data units: a histogram of the data, the
/// proposal's density, a histogram of proposal samples, the AEM's density (normalisers estimated with
/// S importance samples) and a histogram of AEM samples drawn by importance resampling.
/// </summary>
/// <param name="Region">The rectangle shown.</param>
/// <param name="Grid">Both models' log-densities on the grid.</param>
/// <param name="Data">Histogram of the data.</param>
/// <param name="ProposalSamples">Histogram of samples from the proposal.</param>
/// <param name="AemSamples">Histogram of samples from the AEM.</param>
/// <param name="ResamplingCandidates">Proposal samples per dimension behind each AEM sample.</param>
public sealed record DensityFigure(
    PlotRegion Region,
    FactorisedGrid Grid,
    Histogram2D Data,
    Histogram2D ProposalSamples,
    Histogram2D AemSamples,
    int ResamplingCandidates)
{
    /// <summary>
    /// Computes every panel. <paramref name="data"/> <c>[N, 2]</c> is in data units; at most
    /// <paramref name="points"/> of its rows (a random subset) are binned, and as many samples are drawn
    /// from each model, so the three histograms have equal noise.
    /// </summary>
    /// <param name="model">A two-dimensional AEM.</param>
    /// <param name="data">Data points in data units.</param>
    /// <param name="points">Points per histogram.</param>
    /// <param name="gridPoints">Grid values per axis for the densities.</param>
    /// <param name="samples">S per normaliser (the paper uses 1,000).</param>
    /// <param name="resamplingCandidates">Proposal samples per dimension for each AEM sample (the paper uses 100).</param>
    /// <param name="seed">Seeds the subset, the samples and the normalisers.</param>
    /// <param name="standardizer">The model's data transform, if any.</param>
    /// <param name="bins">Histogram bins per axis; null picks about ten points per cell, within 50–200.</param>
    public static DensityFigure Compute(
        AutoregressiveEnergyMachine model,
        Tensor data,
        long points = 100_000,
        int gridPoints = 200,
        int samples = 1000,
        int resamplingCandidates = ImportanceResampler.DefaultProposalSamples,
        long seed = 1,
        Standardizer? standardizer = null,
        int? bins = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (points < 1) throw new ArgumentOutOfRangeException(nameof(points), points, "Need at least one point per histogram.");
        if (gridPoints < 2) throw new ArgumentOutOfRangeException(nameof(gridPoints), gridPoints, "Need at least two grid values per axis.");
        using var scope = NewDisposeScope();
        var device = model.parameters().First().device;
        using var generator = new Generator((ulong)seed, device);
        var subset = Subset(data, points, seed);
        var region = PlotRegion.FromData(subset);
        long n = subset.shape[0];
        int cells = bins ?? (int)Math.Clamp(Math.Sqrt(n / 10.0), 50, 200);
        var std = standardizer ?? Standardizer.Identity(2);

        var grid = GridEvaluator.Evaluate(
            model,
            PlotRegion.CellCentres(region.X1Min, region.X1Max, gridPoints),
            PlotRegion.CellCentres(region.X2Min, region.X2Max, gridPoints),
            samples,
            generator,
            std);
        var proposalSamples = std.Inverse(ProposalSampler.Sample(model, n, generator)).cpu();
        var aemSamples = std.Inverse(ImportanceResampler.Sample(model, n, resamplingCandidates, generator)).cpu();
        return new DensityFigure(
            region,
            grid,
            Histogram2D.Compute(subset, region, cells, cells),
            Histogram2D.Compute(proposalSamples, region, cells, cells),
            Histogram2D.Compute(aemSamples, region, cells, cells),
            resamplingCandidates);
    }

    /// <summary>At most <paramref name="count"/> rows of <paramref name="data"/>, chosen at random without replacement.</summary>
    internal static Tensor Subset(Tensor data, long count, long seed)
    {
        long n = data.shape[0];
        if (n <= count) return data.cpu();
        using var generator = new Generator((ulong)seed, CPU);
        var indices = randperm(n, generator: generator).narrow(0, 0, count);
        return data.cpu().index_select(0, indices);
    }
}
