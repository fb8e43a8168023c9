using Aem.Model;
using TorchSharp;
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
    public static Tensor Sample(AutoregressiveEnergyMachine model, long count, Generator? generator = null, long batchSize = 4096, Tensor? context = null)
    {
        using var contexts = AncestralSampling.Repeat(model, context, count);
        // q_d depends only on x_<d (and c): an exact draw from the proposal, dimension by dimension.
        return AncestralSampling.Run(model, contexts?.shape[0] ?? count, batchSize, (rows, d) =>
            model.SplitOutputs(model.ResMade.forward(rows).narrow(1, d, 1)).Proposal.Sample(1, generator).view(-1, 1), contexts); // [n, 1]
    }
}
