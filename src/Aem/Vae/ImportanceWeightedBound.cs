using Aem.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// The importance-weighted lower bound on log p(x) (Burda et al., 2016) and the ELBO, for several priors
/// at once: with z_k ~ q(z|x) and <c>log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x)</c>,
/// <c>L_K = logsumexp_k(log w_k) − log K</c> and <c>ELBO ≈ (1/K) Σ_k log w_k</c> (the same K draws; an
/// unbiased ELBO estimate for any prior, so all rows are computed alike). L_K ≥ ELBO draw by draw
/// (Jensen), and E[L_K] grows towards log p(x) with K. Every prior sees the same draws (common random
/// numbers), so differences between rows are not blurred by independent sampling noise.
/// </summary>
internal static class ImportanceWeightedBound
{
    /// <summary>K in the paper's Table 2.</summary>
    public const int DefaultSamples = 50;

    /// <summary>
    /// Bounds for every observation of <paramref name="x"/> under each of <paramref name="priors"/>, in
    /// batches of <paramref name="batchSize"/> observations (B·K decoder passes each). No gradient; a
    /// module <paramref name="model"/> runs in eval mode and gets its mode back. Reports the number of
    /// observations done to <paramref name="progress"/>.
    /// </summary>
    public static IReadOnlyList<BoundEstimates> Estimate(
        ILatentVariableModel model,
        Tensor x,
        IReadOnlyList<ILatentPrior> priors,
        int samples = DefaultSamples,
        Generator? generator = null,
        int batchSize = 10,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(priors);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least one importance sample.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Need a positive batch size.");
        foreach (var prior in priors)
        {
            if (prior.Features != model.Latents)
            {
                throw new ArgumentException($"Prior '{prior.Name}' is over {prior.Features} latents but the model has {model.Latents}.", nameof(priors));
            }
        }
        long n = x.shape[0];
        var elbo = priors.Select(_ => new double[n]).ToArray();
        var bound = priors.Select(_ => new double[n]).ToArray();
        var module = model as nn.Module;
        bool wasTraining = module?.training ?? false;
        module?.eval();
        try
        {
            using var noGrad = no_grad();
            using var logK = Math.Log(samples).ToScalar();
            for (long start = 0; start < n; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long count = Math.Min(batchSize, n - start);
                using var scope = NewDisposeScope();
                var batch = x.narrow(0, start, count);
                var posterior = model.Encode(batch);
                var z = posterior.Sample(samples, generator);                     // [b, K, L]
                var logWithoutPrior = model.LogLikelihood(batch, z) - posterior.LogProb(z); // [b, K]
                var flat = z.reshape(count * samples, model.Latents);             // [b·K, L]
                for (int p = 0; p < priors.Count; p++)
                {
                    var logWeights = logWithoutPrior.add(priors[p].LogProb(flat).view(count, samples), Scalars.One); // [b, K]
                    Copy(logWeights.mean([1]), elbo[p], start);
                    Copy(logWeights.logsumexp(1).sub(logK), bound[p], start);
                }
                progress?.Report(start + count);
            }
        }
        finally
        {
            module?.train(wasTraining);
        }
        return priors.Select((prior, p) => new BoundEstimates(prior.Name, prior.IsExact, elbo[p], bound[p])).ToArray();
    }

    private static void Copy(Tensor values, double[] target, long start)
    {
        var data = values.to(float64).cpu().data<double>();
        for (int i = 0; i < data.Count; i++) target[start + i] = data[i];
    }
}
