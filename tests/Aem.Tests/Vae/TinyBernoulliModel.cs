using Aem.Vae;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Aem.Tests.Vae;

/// <summary>
/// A latent-variable model small enough to integrate exactly: one latent z ~ N(0, 1), three pixels with
/// <c>p(x_i = 1 | z) = sigmoid(a_i z + b_i)</c>, and a deliberately imperfect linear Gaussian encoder.
/// </summary>
internal sealed class TinyBernoulliModel : ILatentVariableModel
{
    private static readonly double[] A = [2.0, -1.5, 0.7];
    private static readonly double[] B = [0.3, 0.1, -0.8];

    public int Latents => 1;

    public DiagonalGaussian Encode(Tensor x)
    {
        // Wider than the true posteriors and only loosely centred: a poor but safe importance proposal.
        var mean = (x.matmul(tensor(new[] { 0.4, -0.3, 0.1 }, dtype: float64)) - 0.1).unsqueeze(1); // [B, 1]
        var logVariance = full_like(mean, 0.4);
        return new DiagonalGaussian(mean, logVariance);
    }

    public Tensor LogLikelihood(Tensor x, Tensor z)
    {
        var logits = (z * tensor(A, dtype: float64)) + tensor(B, dtype: float64); // [B, K, 3]
        return (x.unsqueeze(1) * logits - F.softplus(logits)).sum(-1);            // [B, K]
    }

    /// <summary>log p(x) = log ∫ p(x|z) N(z; 0, 1) dz by the trapezoid rule on [−12, 12].</summary>
    public static double ExactLogLikelihood(double[] x)
    {
        const int points = 48_001;
        double lo = -12, hi = 12, h = (hi - lo) / (points - 1), total = 0;
        for (int i = 0; i < points; i++)
        {
            double z = lo + (i * h);
            double logp = (-0.5 * z * z) - (0.5 * Math.Log(2 * Math.PI));
            for (int d = 0; d < 3; d++)
            {
                double l = (A[d] * z) + B[d];
                logp += (x[d] * l) - Math.Log(1 + Math.Exp(l));
            }
            total += (i == 0 || i == points - 1 ? 0.5 : 1) * Math.Exp(logp);
        }
        return Math.Log(total * h);
    }
}
