using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// A prior p(z) over the latents, scored by the bounds: exact for a Gaussian or a ResMADE-MoG,
/// an importance-sampling estimate for an AEM (paper eq. 9).
/// </summary>
internal interface ILatentPrior
{
    /// <summary>The row label in Table 2, e.g. "Gaussian".</summary>
    string Name { get; }

    /// <summary>L, the latent dimension.</summary>
    int Features { get; }

    /// <summary>True when <see cref="LogProb"/> is an exact normalised log-density; false for an estimate.</summary>
    bool IsExact { get; }

    /// <summary><c>log p(z)</c> of <paramref name="z"/> <c>[N, L]</c>, <c>[N]</c>, without gradient.</summary>
    Tensor LogProb(Tensor z);
}
