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
    /// Draws <paramref name="count"/> rows; <paramref name="draw"/> gets the partly filled batch of rows
    /// <c>[n, D + C]</c> (x, then the context of each row, which <paramref name="contexts"/> <c>[count, C]</c>
    /// gives for a conditional model) and the dimension d, and returns the new column <c>[n, 1]</c>. Returns x
    /// alone, <c>[count, D]</c>.
    /// </summary>
    public static Tensor Run(AutoregressiveEnergyMachine model, long count, long batchSize, Func<Tensor, int, Tensor> draw, Tensor? contexts = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Cannot draw a negative number of samples.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Need a positive batch size.");
        int c = model.Options.ConditioningFeatures;
        if (c > 0 && (contexts is null || contexts.dim() != 2 || contexts.shape[0] != count || contexts.shape[1] != c))
        {
            throw new ArgumentException($"The model is conditioned on {Plural.Of(c, "context value")}: give one context row per sample, [{count}, {c}].", nameof(contexts));
        }
        if (c == 0 && contexts is not null) throw new ArgumentException("The model has no context (it models p(x)), but contexts were given.", nameof(contexts));
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
                    var rows = zeros([n, features + c], dtype: parameter.dtype, device: parameter.device);
                    if (c > 0) rows.narrow(1, features, c).copy_(contexts!.narrow(0, done, n));
                    for (int d = 0; d < features; d++)
                    {
                        using var step = NewDisposeScope();
                        // The conditionals of dimension d depend only on x_<d (and the context), which are already filled in.
                        rows.index_copy_(1, tensor(new long[] { d }, device: parameter.device), draw(rows, d));
                    }
                    var x = c > 0 ? rows.narrow(1, 0, features).contiguous() : rows;
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

    /// <summary>
    /// One context row per sample: each of the <c>R</c> rows of <paramref name="context"/> <c>[R, C]</c> repeated
    /// <paramref name="perContext"/> times in turn, <c>[R·perContext, C]</c> on the model's device and dtype; null
    /// without a context.
    /// </summary>
    public static Tensor? Repeat(AutoregressiveEnergyMachine model, Tensor? context, long perContext)
    {
        ArgumentNullException.ThrowIfNull(model);
        int c = model.Options.ConditioningFeatures;
        if (context is null)
        {
            if (c > 0) throw new ArgumentException($"The model is conditioned on {Plural.Of(c, "context value")} per row: give the contexts to sample at, [R, {c}].", nameof(context));
            return null;
        }
        if (c == 0) throw new ArgumentException("The model has no context (it models p(x)), but a context was given.", nameof(context));
        if (context.dim() != 2 || context.shape[1] != c)
        {
            throw new ArgumentException($"Expected contexts of shape [R, {c}], got [{string.Join(", ", context.shape)}].", nameof(context));
        }
        var parameter = model.parameters().First();
        using var onDevice = context.to(parameter.dtype, parameter.device);
        return onDevice.repeat_interleave(perContext, 0);                              // [R·n, C]
    }
}
