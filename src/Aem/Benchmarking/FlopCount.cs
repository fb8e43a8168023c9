using Aem.Model;

namespace Aem.Benchmarking;

/// <summary>
/// Analytic floating-point operation counts (multiply and add counted separately) of an AEM's
/// matrix products. Element-wise work is left out: this is the work a perfect matrix-product
/// engine would have to do, so measured time against it gives the fraction of the machine's rate.
/// </summary>
internal static class FlopCount
{
    /// <summary>Forward matrix-product FLOPs for <paramref name="batch"/> examples and S samples.</summary>
    public static double Forward(AemOptions options, long batch, int samples)
    {
        ArgumentNullException.ThrowIfNull(options);
        double d = options.Features, h = options.HiddenFeatures, e = options.EnergyHiddenFeatures, k = options.ContextFeatures;
        double p = options.OutputsPerFeature;
        // ResMADE: D→H, 2 per block H→H, H→D·P, once per example.
        double resmade = 2 * batch * ((d * h) + (options.ResMadeBlocks * 2 * h * h) + (h * d * p));
        // Energy net: the context part K→E once per (b, d); the value part, blocks and output per row.
        double rows = batch * d * (1 + samples);
        double context = 2 * batch * d * k * e;
        double energy = 2 * rows * (e + (options.EnergyBlocks * 2 * e * e) + e);
        return resmade + context + energy;
    }

    /// <summary>A training step: forward, and a backward pass costing twice the forward (gradients for inputs and weights).</summary>
    public static double TrainingStep(AemOptions options, long batch, int samples) => 3 * Forward(options, batch, samples);
}
