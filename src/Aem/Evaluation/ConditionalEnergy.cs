using Aem.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Evaluation;

/// <summary>
/// Chunked energy-network work on single conditionals (contexts <c>[c, 1, K]</c>): log φ on a grid and the
/// importance-sampling log Ẑ. Callers set eval mode and no-grad.
/// </summary>
internal static class ConditionalEnergy
{
    /// <summary>log φ at <paramref name="values"/> <c>[c, n]</c> (float64) → <c>[c, n]</c> float64, ≤ about maxRows rows per call.</summary>
    public static Tensor LogEnergy(AutoregressiveEnergyMachine model, Tensor context, Tensor values, long maxRows)
    {
        using var scope = NewDisposeScope();
        var dtype = context.dtype;
        long c = values.shape[0], n = values.shape[1];
        long conditionalsPerCall = Math.Clamp(maxRows / n, 1, c);
        long pointsPerCall = Math.Clamp(maxRows / conditionalsPerCall, 1, n);
        var rows = new List<Tensor>();
        for (long i = 0; i < c; i += conditionalsPerCall)
        {
            long ci = Math.Min(conditionalsPerCall, c - i);
            var ctx = context.narrow(0, i, ci);                                        // [ci, 1, K]
            var parts = new List<Tensor>();
            for (long j = 0; j < n; j += pointsPerCall)
            {
                long nj = Math.Min(pointsPerCall, n - j);
                var v = values.narrow(0, i, ci).narrow(1, j, nj).to(dtype).unsqueeze(1); // [ci, 1, nj]
                parts.Add(model.EnergyNet.forward(v, ctx).squeeze(1).to(float64));      // [ci, nj]
            }
            rows.Add(cat(parts, 1));
        }
        return cat(rows, 0).MoveToOuterDisposeScope();                                  // [c, n]
    }

    /// <summary>
    /// The importance-sampling estimate log Ẑ (paper eq. 8) of each of <c>c</c> conditionals with
    /// <paramref name="samples"/> samples placed by <paramref name="estimator"/>, folded chunk by chunk; float64 <c>[c]</c>.
    /// </summary>
    public static Tensor LogNormalizer(
        AutoregressiveEnergyMachine model, Conditionals conditionals, int samples, Generator? generator, long maxRows, NormalizerEstimator estimator = NormalizerEstimator.Iid)
    {
        using var scope = NewDisposeScope();
        var (context, proposal) = conditionals;
        long c = context.shape[0];
        long chunk = Math.Clamp(maxRows / c, 1, samples);
        Tensor? running = null;
        using var placement = new NormalizerSamples(proposal, context.shape[..^1], context.device, estimator, samples, generator);
        for (long done = 0; done < samples; done += chunk)
        {
            var proposalSamples = placement.Next(Math.Min(chunk, samples - done));         // [c, 1, s]
            var logWeights = model.EnergyNet.forward(proposalSamples, context) - proposal.LogProb(proposalSamples);
            running = Model.LogNormalizer.Accumulate(running, logWeights.to(float64));
        }
        using var logS = Math.Log(samples).ToScalar();
        return running!.squeeze(1).sub(logS).MoveToOuterDisposeScope();                 // [c]
    }
}
