using Aem.Model;
using Aem.Sampling;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// Unconditional samples of a VAE (paper figure 6): latents from a prior, decoded to Bernoulli means
/// <c>sigmoid(logits)</c> (grey images, as in the paper, rather than a binary draw).
/// </summary>
internal static class VaeSamples
{
    /// <summary>Bernoulli means <c>[N, 1, S, S]</c> for latents <paramref name="z"/> <c>[N, L]</c>, no gradient.</summary>
    public static Tensor Decode(ConvVae vae, Tensor z)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(z);
        bool wasTraining = vae.training;
        vae.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var parameter = vae.parameters().First();
            return vae.Decode(z.to(parameter.dtype, parameter.device)).sigmoid().MoveToOuterDisposeScope();
        }
        finally
        {
            vae.train(wasTraining);
        }
    }

    /// <summary>
    /// <paramref name="count"/> images with latents drawn from an AEM prior by sampling–importance–resampling
    /// from <paramref name="proposalSamples"/> proposal samples per dimension (the paper uses 100).
    /// </summary>
    public static Tensor FromAem(ConvVae vae, AutoregressiveEnergyMachine prior, int count, int proposalSamples = ImportanceResampler.DefaultProposalSamples, Generator? generator = null)
    {
        using var z = ImportanceResampler.Sample(prior, count, proposalSamples, generator);
        return Decode(vae, z);
    }

    /// <summary><paramref name="count"/> images with latents from the standard Gaussian prior.</summary>
    public static Tensor FromGaussian(ConvVae vae, int count, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(vae);
        using var z = randn([count, vae.Latents], generator: generator);
        return Decode(vae, z);
    }
}
