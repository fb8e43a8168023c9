using Aem.Model;
using Aem.Runtime;
using static TorchSharp.torch;

namespace Aem.Sampling;

/// <summary>
/// The loop every sampler shares: fill a batch dimension by dimension, each new value drawn given
/// the conditionals of the dimensions already filled, in eval mode under no-grad, in batches.
/// </summary>
internal static class AncestralSampling
{
    private const int BatchesPerTrim = 16;

    /// <summary>
    /// Draws <paramref name="count"/> rows; <paramref name="draw"/> gets the partly filled batch
    /// <c>[n, D]</c> and the dimension d and returns the new column <c>[n, 1]</c>.
    /// </summary>
    public static Tensor Run(AutoregressiveEnergyMachine model, long count, long batchSize, Func<Tensor, int, Tensor> draw)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Cannot draw a negative number of samples.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Need a positive batch size.");
        NativeHeap.Tune();
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
                using (var scope = NewDisposeScope())
                {
                    var x = zeros([n, features], dtype: parameter.dtype, device: parameter.device);
                    for (int d = 0; d < features; d++)
                    {
                        using var step = NewDisposeScope();
                        // The conditionals of dimension d depend only on x_<d, which are already filled in.
                        x.index_copy_(1, tensor(new long[] { d }, device: parameter.device), draw(x, d));
                    }
                    batches.Add(x.DetachFromDisposeScope());
                }
                // Not after every batch: returning pages only to fault them in again for the next
                // batch cost a fifth of the time with small batches.
                if (batches.Count % BatchesPerTrim == 0) NativeHeap.Trim();
            }
            NativeHeap.Trim();
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
