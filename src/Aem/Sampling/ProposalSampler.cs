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
    /// A conditional model draws <paramref name="count"/> samples of q(x | c) for each row of
    /// <paramref name="context"/> <c>[R, C]</c>, <c>[R·count, D]</c>, the first <paramref name="count"/> for row 0.
    /// </summary>
    /// <param name="model">The model, on its device.</param>
    /// <param name="count">Samples to draw (per context row, given a context).</param>
    /// <param name="generator">Source of every draw; null uses libtorch's default generator.</param>
    /// <param name="batchSize">Samples drawn together (bounds memory).</param>
    /// <param name="context">Contexts <c>[R, C]</c> for a conditional model; null otherwise.</param>
    /// <returns>A new tensor <c>[count, D]</c> (<c>[R·count, D]</c> given a context) on the model's device; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="batchSize"/> below 1.</exception>
    public static Tensor Sample(AutoregressiveEnergyMachine model, long count, Generator? generator = null, long batchSize = 4096, Tensor? context = null)
    {
        using var contexts = AncestralSampling.Repeat(model, context, count);
        // q_d depends only on x_<d (and c): an exact draw from the proposal, dimension by dimension.
        return AncestralSampling.Run(model, contexts?.shape[0] ?? count, batchSize, (rows, d) =>
            model.SplitOutputs(model.ResMade.forward(rows).narrow(1, d, 1)).Proposal.Sample(1, generator).view(-1, 1), contexts); // [n, 1]
    }
}
