using System.Text.Json.Serialization;
using Aem.Training;

namespace Aem.Vae;

/// <summary>Validation after a step: the mean one-sample ELBO (β = 1) and its two terms, in nats per image.</summary>
/// <param name="Step">The step after which validation ran.</param>
/// <param name="Elbo">Mean ELBO, log p(x|z) − KL.</param>
/// <param name="Reconstruction">Mean log p(x|z).</param>
/// <param name="Kl">Mean KL(q(z|x) ‖ N(0, I)).</param>
public sealed record VaeValidationScore(int Step, double Elbo, double Reconstruction, double Kl) : IValidationScore
{
    /// <summary>The ELBO: the best model has the highest.</summary>
    [JsonIgnore]
    public double? Criterion => Elbo;
}
