using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Model;

/// <summary>
/// The importance-sampling estimate of a log normalising constant (paper eq. 8):
/// <c>log Ẑ = logsumexp_s(log φ(x_s) − log q(x_s)) − log S</c>, with <c>x_s ~ q</c>.
/// </summary>
internal static class LogNormalizer
{
    /// <summary>
    /// Reduces the last axis of <paramref name="logEnergy"/> and <paramref name="logProposal"/>
    /// (both <c>[..., S]</c>) to <c>[...]</c>. The proposal's log-density is treated as a constant:
    /// the estimate must not train the proposal (paper §3.2).
    /// </summary>
    public static Tensor Estimate(Tensor logEnergy, Tensor logProposal)
    {
        using var scope = NewDisposeScope();
        long samples = logEnergy.shape[^1];
        // Stop-gradient: q is trained by maximum likelihood only, never through Ẑ.
        var logWeights = logEnergy - logProposal.detach();
        using var logS = Math.Log(samples).ToScalar();
        // Not in place: logsumexp's backward reads its own output.
        return logWeights.logsumexp(-1).sub(logS).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log of the importance-sampling effective sample size of the log-weights' last axis <c>[..., S]</c>:
    /// <c>ESS = (Σw)² / Σw²</c>, computed as <c>2·logsumexp(log w) − logsumexp(2·log w)</c>, <c>[...]</c>.
    /// S for equal weights, 1 when one weight carries everything.
    /// </summary>
    public static Tensor LogEffectiveSampleSize(Tensor logWeights)
    {
        ArgumentNullException.ThrowIfNull(logWeights);
        using var scope = NewDisposeScope();
        using var two = 2.0.ToScalar();
        var logSum = logWeights.logsumexp(-1);
        var logSumOfSquares = logWeights.mul(two).logsumexp(-1);
        return logSum.mul(two).sub(logSumOfSquares).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Streaming form for evaluation in chunks: combines a running <c>logsumexp</c> of log-weights
    /// (or null at the start) with the next chunk <c>[..., s]</c>.
    /// </summary>
    public static Tensor Accumulate(Tensor? runningLogSumExp, Tensor logWeightsChunk)
    {
        var chunk = logWeightsChunk.logsumexp(-1);
        if (runningLogSumExp is null) return chunk;
        using (chunk)
        {
            return runningLogSumExp.logaddexp(chunk);
        }
    }
}
