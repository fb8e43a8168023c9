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
    /// </summary>
    public static Tensor Sample(AutoregressiveEnergyMachine model, long count, Generator? generator = null, long batchSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Cannot draw a negative number of samples.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Need a positive batch size.");
        var parameter = model.parameters().First();
        int features = model.Options.Features;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var batches = new List<Tensor>();
            for (long done = 0; done < count; done += batchSize)
            {
                long n = Math.Min(batchSize, count - done);
                using var scope = NewDisposeScope();
                var x = zeros([n, features], dtype: parameter.dtype, device: parameter.device);
                for (int d = 0; d < features; d++)
                {
                    // q_d depends only on x_<d, which are already filled in.
                    var proposal = model.SplitOutputs(model.ResMade.forward(x).narrow(1, d, 1)).Proposal; // [n, 1, ·]
                    x[.., d] = proposal.Sample(1, generator).view(-1);                               // [n]
                }
                batches.Add(x.DetachFromDisposeScope());
            }
            if (batches.Count == 0) return zeros([0, features], dtype: parameter.dtype, device: parameter.device);
            var all = cat(batches, 0);
            foreach (var b in batches) b.Dispose();
            return all;
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
