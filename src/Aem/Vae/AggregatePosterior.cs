using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// Draws from the aggregate approximate posterior <c>q_agg(z) = E_{x∼p*(x)}[q(z|x)]</c> (paper eq. 11),
/// the data on which a prior is fitted post hoc with the VAE frozen. Each grey-level image is binarised
/// <c>encodings</c> times (fresh Bernoulli draws: p* is the dynamically binarised data), each binary image
/// is encoded once, and <c>samplesPerEncoding</c> latents are drawn from its q(z|x). The encoder dominates
/// the cost, so extra latents per encoding are nearly free; a fixed sample drawn once (rather than fresh
/// draws each epoch) lets the prior train with the library's <see cref="Training.Trainer{TStep, TScore}"/> on a tensor.
/// </summary>
internal static class AggregatePosterior
{
    /// <summary>
    /// Latents <c>[N · encodings · samplesPerEncoding, L]</c>, float32 on the CPU, a function of
    /// <paramref name="seed"/>. <paramref name="binarize"/> false encodes <paramref name="images"/> as they are
    /// (already binary, e.g. the fixed validation binarisation). Reports images done.
    /// </summary>
    public static Tensor Sample(
        ILatentVariableModel model,
        Tensor images,
        int encodings = 1,
        int samplesPerEncoding = 10,
        long seed = 1,
        bool binarize = true,
        int batchSize = 250,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (encodings < 1) throw new ArgumentOutOfRangeException(nameof(encodings), encodings, "Need at least one encoding per image.");
        if (samplesPerEncoding < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerEncoding), samplesPerEncoding, "Need at least one latent per encoding.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Need a positive batch size.");
        var module = model as nn.Module;
        var parameter = module?.parameters().First();
        var dtype = parameter?.dtype ?? images.dtype;
        var device = parameter?.device ?? images.device;
        bool wasTraining = module?.training ?? false;
        module?.eval();
        using var generator = new Generator((ulong)seed, device);
        var parts = new List<Tensor>();
        try
        {
            using var noGrad = no_grad();
            long n = images.shape[0];
            for (long start = 0; start < n; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var grey = images.narrow(0, start, Math.Min(batchSize, n - start)).to(dtype, device);
                for (int e = 0; e < encodings; e++)
                {
                    var x = binarize ? Binarization.Sample(grey, generator) : grey;
                    var z = model.Encode(x).Sample(samplesPerEncoding, generator);   // [b, S, L]
                    parts.Add(z.reshape(-1, model.Latents).to(float32, CPU).DetachFromDisposeScope());
                }
                progress?.Report(start + grey.shape[0]);
            }
            return cat(parts, 0);                                                   // [N·E·S, L]
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
            module?.train(wasTraining);
        }
    }
}
