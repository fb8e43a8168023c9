using Aem.Training;

namespace Aem.Vae;

/// <summary>What one VAE pre-training step yields, in nats per image.</summary>
/// <param name="Loss">−L_β = β·KL − log p(x|z).</param>
/// <param name="Reconstruction">Mean log p(x|z) of the batch.</param>
/// <param name="Kl">Mean KL(q(z|x) ‖ N(0, I)) of the batch.</param>
public readonly record struct VaeStep(double Loss, double Reconstruction, double Kl) : IStepMetrics<VaeStep>
{
    /// <summary>Means term by term.</summary>
    /// <param name="steps">The steps to summarise; none gives NaN terms.</param>
    public static VaeStep Mean(IReadOnlyList<VaeStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0) return new VaeStep(double.NaN, double.NaN, double.NaN);
        double loss = 0, reconstruction = 0, kl = 0;
        foreach (var step in steps)
        {
            loss += step.Loss;
            reconstruction += step.Reconstruction;
            kl += step.Kl;
        }
        return new VaeStep(loss / steps.Count, reconstruction / steps.Count, kl / steps.Count);
    }
}
