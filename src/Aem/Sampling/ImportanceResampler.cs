using Aem.Model;
using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Sampling;

/// <summary>
/// Approximate sampling from an AEM by sampling–importance–resampling (Rubin, 1988; paper §3.3):
/// dimension by dimension, draw <c>proposalSamples</c> values from q_d given the dimensions filled so
/// far, and keep one with probability ∝ φ/q. Consistent as the number of proposal samples grows;
/// the paper finds 100 enough.
/// </summary>
public static class ImportanceResampler
{
    public const int DefaultProposalSamples = 100;

    /// <summary>
    /// Draws <paramref name="count"/> samples <c>[count, D]</c> in the model's units, in batches of at most
    /// <paramref name="batchSize"/>. Eval mode and no-grad; the model's mode is restored afterwards.
    /// </summary>
    public static Tensor Sample(
        AutoregressiveEnergyMachine model,
        long count,
        int proposalSamples = DefaultProposalSamples,
        Generator? generator = null,
        long batchSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Cannot draw a negative number of samples.");
        if (proposalSamples < 1) throw new ArgumentOutOfRangeException(nameof(proposalSamples), proposalSamples, "Need at least one proposal sample.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Need a positive batch size.");
        var parameter = model.parameters().First();
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
                batches.Add(SampleBatch(model, n, proposalSamples, generator, parameter.dtype, parameter.device).DetachFromDisposeScope());
                NativeHeap.Trim();
            }
            if (batches.Count == 0) return zeros([0, model.Options.Features], dtype: parameter.dtype, device: parameter.device);
            var all = cat(batches, 0);
            foreach (var b in batches) b.Dispose();
            return all;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static Tensor SampleBatch(AutoregressiveEnergyMachine model, long n, int proposalSamples, Generator? generator, ScalarType dtype, Device device)
    {
        int features = model.Options.Features;
        var x = zeros([n, features], dtype: dtype, device: device);
        for (int d = 0; d < features; d++)
        {
            using var step = NewDisposeScope();
            // Outputs for dimension d depend only on x_<d, which are already filled in.
            var outputs = model.ResMade.forward(x).narrow(1, d, 1);                      // [n, 1, P]
            var (context, proposal) = model.SplitOutputs(outputs);
            var candidates = proposal.Sample(proposalSamples, generator);              // [n, 1, S]
            var logWeights = model.EnergyNet.forward(candidates, context) - proposal.LogProb(candidates);
            var probabilities = logWeights.squeeze(1).softmax(-1);                     // [n, S]
            var choice = multinomial(probabilities, 1, replacement: true, generator: generator); // [n, 1]
            x.index_copy_(1, tensor(new long[] { d }, device: device), candidates.squeeze(1).gather(1, choice));
        }
        return x;
    }
}
