using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// A latent-variable model with an amortised Gaussian posterior, as the bounds need it: an encoder
/// q(z|x) and a decoder's log-likelihood log p(x|z). The prior is separate (<see cref="ILatentPrior"/>),
/// so that the same encoder and decoder can be scored under different priors.
/// </summary>
internal interface ILatentVariableModel
{
    /// <summary>L, the latent dimension.</summary>
    int Latents { get; }

    /// <summary>q(z|x) for a batch <paramref name="x"/> of B observations.</summary>
    DiagonalGaussian Encode(Tensor x);

    /// <summary><c>log p(x|z)</c> for <paramref name="x"/> (B observations) and <paramref name="z"/> <c>[B, K, L]</c>; returns <c>[B, K]</c>.</summary>
    Tensor LogLikelihood(Tensor x, Tensor z);
}
