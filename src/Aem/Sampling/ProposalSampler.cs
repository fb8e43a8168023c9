using Aem.Model;
using static TorchSharp.torch;

namespace Aem.Sampling;

/// <summary>
/// Exact ancestral sampling from an AEM's proposal <c>q(x) = Π_d q_d(x_d | x_&lt;d)</c>: dimension by
/// dimension, run the ResMADE on the partly filled batch and draw x_d from q_d. These are the
/// "proposal samples" of the paper's figure 4a.
/// </summary>
public static class ProposalSampler
{
    /// <summary>
    /// Draws <paramref name="count"/> samples <c>[count, D]</c> in the model's units, in batches of at most
    /// <paramref name="batchSize"/>. Eval mode and no-grad; the model's mode is restored afterwards.
    /// </summary>
    /// <param name="model">The model, on its device.</param>
    /// <param name="count">Samples to draw.</param>
    /// <param name="generator">Source of every draw; null uses libtorch's default generator.</param>
    /// <param name="batchSize">Samples drawn together (bounds memory).</param>
    /// <returns>A new tensor <c>[count, D]</c> on the model's device; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="batchSize"/> below 1.</exception>
    public static Tensor Sample(AutoregressiveEnergyMachine model, long count, Generator? generator = null, long batchSize = 4096)
    {
        // q_d depends only on x_<d: an exact draw from the proposal, dimension by dimension.
        return AncestralSampling.Run(model, count, batchSize, (x, d) =>
            model.SplitOutputs(model.ResMade.forward(x).narrow(1, d, 1)).Proposal.Sample(1, generator).view(-1, 1)); // [n, 1]
    }
}
