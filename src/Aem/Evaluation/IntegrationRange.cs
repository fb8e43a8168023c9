using Aem.Distributions;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// Where to integrate a conditional's energy (the calibration's "support"):
/// <list type="bullet">
/// <item>uniform proposal U(a, b): exactly [a, b] — the model is only defined where q &gt; 0, and that is
/// what importance sampling estimates;</item>
/// <item>mixture proposal: the union of every component's μ ± kσ (k = 10 by default) and the data range
/// of the dimension widened by <c>margin</c> × its width on each side.</item>
/// </list>
/// A ReLU energy network can stay flat outside the data, in which case ∫_ℝ φ diverges: no finite range
/// is "the" support, so the rule is stated and applied identically everywhere.
/// </summary>
internal static class IntegrationRange
{
    /// <summary>Ranges for each of the <c>c</c> conditionals of <paramref name="proposal"/> (over <c>[c, 1]</c>).</summary>
    public static (double[] Low, double[] High) For(IProposal proposal, double[] dataMin, double[] dataMax, double proposalScales, double margin)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(dataMin);
        ArgumentNullException.ThrowIfNull(dataMax);
        int c = dataMin.Length;
        var low = new double[c];
        var high = new double[c];
        if (proposal is UniformProposal uniform)
        {
            Array.Fill(low, uniform.Low);
            Array.Fill(high, uniform.High);
            return (low, high);
        }
        if (proposal is not MixtureOfGaussians mixture) throw new NotSupportedException($"No integration-range rule for {proposal.GetType().Name}.");
        using var scope = NewDisposeScope();
        var means = mixture.Means.detach().to(float64, CPU).reshape(c, -1);             // [c, M]
        var scales = mixture.Scales.detach().to(float64, CPU).reshape(c, -1);
        using var k = proposalScales.ToScalar();
        var lowest = (means - scales.mul(k)).amin([1]).data<double>().ToArray();
        var highest = means.add(scales.mul(k), Scalars.One).amax([1]).data<double>().ToArray();
        for (int i = 0; i < c; i++)
        {
            double width = dataMax[i] - dataMin[i];
            if (!(width > 0)) width = 1;
            low[i] = Math.Min(lowest[i], dataMin[i] - (margin * width));
            high[i] = Math.Max(highest[i], dataMax[i] + (margin * width));
        }
        return (low, high);
    }
}
