using Aem.Runtime;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// The convolutional VAE of the paper's latent-variable experiment (§4.4, appendix B) for binary
/// images: q(z|x) = N(μ(x), diag σ²(x)) from a <see cref="ConvEncoder"/>, p(x|z) = Π Bernoulli(x_i;
/// sigmoid(logit_i(z))) from a <see cref="ConvDecoder"/>. Pre-trained with a standard Gaussian prior and
/// the β-weighted bound <c>L_β = E_q[log p(x|z)] − β KL(q(z|x) ‖ N(0, I))</c> (eq. 12, β = 0.9).
/// </summary>
/// <example>
/// <code>
/// var vae = new ConvVae(new VaeOptions());
/// var posterior = vae.Encode(x);                 // x: [B, 1, 28, 28] of 0/1
/// var z = posterior.Sample(50);                  // [B, 50, 32]
/// var logPxGivenZ = vae.LogLikelihood(x, z);     // [B, 50]
/// </code>
/// </example>
internal sealed class ConvVae : nn.Module, ILatentVariableModel
{
    private readonly ConvEncoder encoder;
    private readonly ConvDecoder decoder;

    public ConvVae(VaeOptions options, string name = "vae") : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        encoder = new ConvEncoder(options);
        decoder = new ConvDecoder(options);
        RegisterComponents();
    }

    public VaeOptions Options { get; }

    public int Latents => Options.Latents;

    public DiagonalGaussian Encode(Tensor x)
    {
        CheckImages(x);
        using var scope = NewDisposeScope();
        var parameters = encoder.forward(x);                                      // [B, 2L]
        var mean = parameters.narrow(1, 0, Latents).MoveToOuterDisposeScope();
        var logVariance = parameters.narrow(1, Latents, Latents).MoveToOuterDisposeScope();
        return new DiagonalGaussian(mean, logVariance);
    }

    /// <summary>Bernoulli logits <c>[N, 1, S, S]</c> for latents <paramref name="z"/> <c>[N, L]</c>.</summary>
    public Tensor Decode(Tensor z) => decoder.forward(z);

    public Tensor LogLikelihood(Tensor x, Tensor z)
    {
        CheckImages(x);
        using var scope = NewDisposeScope();
        long b = z.shape[0], k = z.shape[1];
        var logits = decoder.forward(z.reshape(b * k, Latents)).view(b, k, -1);   // [B, K, S·S]
        var target = x.reshape(b, 1, -1);                                        // [B, 1, S·S]
        // log Bernoulli(x; sigmoid(l)) = x·l − softplus(l), stable for any logit.
        return target.mul(logits).add(Scalars.NegativeSoftplus(logits), Scalars.One).sum(-1).MoveToOuterDisposeScope(); // [B, K]
    }

    /// <summary>
    /// One-sample estimates of the bound's two terms for a batch: <c>log p(x|z)</c> with z ~ q(z|x)
    /// (reparameterised) and the analytic <c>KL(q(z|x) ‖ N(0, I))</c>, both <c>[B]</c>.
    /// </summary>
    public (Tensor Reconstruction, Tensor Kl) BoundTerms(Tensor x, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var posterior = Encode(x);
        var z = posterior.Sample(1, generator);                                   // [B, 1, L]
        var reconstruction = LogLikelihood(x, z).squeeze(1);                       // [B]
        var kl = posterior.KlToStandardNormal();
        return (reconstruction.MoveToOuterDisposeScope(), kl.MoveToOuterDisposeScope());
    }

    private void CheckImages(Tensor x)
    {
        int s = Options.ImageSize;
        if (x.dim() != 4 || x.shape[1] != 1 || x.shape[2] != s || x.shape[3] != s)
        {
            throw new ArgumentException($"Expected images of shape [B, 1, {s}, {s}], got [{string.Join(", ", x.shape)}].", nameof(x));
        }
    }
}
